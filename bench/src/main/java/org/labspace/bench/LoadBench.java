package org.labspace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.labspace.dataplane.client.ArrowStreamClient;
import org.labspace.dataplane.client.StreamQuery;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The connector under load, with a provider and a consumer lab as {@link BenchLabs} runs them and everything going
 * through the researcher's paths (research API on the consumer, Arrow streams straight from the provider):
 * <ul>
 * <li>S: 16 streams of the same dataset at once from one provider against one stream alone, in the same run;
 * every row counted, the provider's RSS sampled;</li>
 * <li>C, A, Q: 100 concurrent dataset requests (the provider's offers over the Dataspace Protocol, what
 * {@code lab.dataset()} asks), 50 concurrent first accesses (negotiation and transfer) and 100 concurrent searches;</li>
 * <li>K: a soak of mixed traffic at a steady concurrency, with both labs' RSS, open files and threads sampled.</li>
 * </ul>
 * Prints {@code RESULT} and {@code TARGET} lines, writes bench/results/load.json and its section of
 * docs/reliability.md, and exits with 1 when a target is missed.
 */
public final class LoadBench {

    private static final List<String> PURPOSES = List.of("research.non-commercial", "research.ai-training", "research.evaluation", "education");
    private static final String POLICY = """
            policy: bench-research
            description: every member, for research and education
            allow:
              - name: research
                purpose: [research.non-commercial, research.ai-training, research.evaluation, education]
            """;
    private static final String PROVIDER = "bench-provider";
    private static final String STREAMED = "load-data";
    private static final int SOAK_DATASETS = 4;
    /** Datasets for accesses one at a time (each dataset and purpose once), the baseline of the concurrent ones. */
    private static final int SOLO_DATASETS = 2;
    private static final List<String> SEARCHES = List.of("benchmark data", "access", "soak", "solo", "load data");
    /** The provider's heap limit, as BenchLabs sets it. */
    private static final int PROVIDER_HEAP_MB = 256;
    /** Flat: the last window's median at most this much above the second window's (RSS), or this much or 8 (counts). */
    private static final double RSS_TOLERANCE = 0.10;
    private static final double COUNT_TOLERANCE = 0.10;
    private static final int COUNT_SLACK = 8;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(180);
    /** Reads one after the other that make one stream's measurement (see readInTurn). */
    private static final int SINGLE_READS = 4;

    private final BenchReport report = new BenchReport();
    private final List<String> failed = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    private long rows = 2_000_000;
    private int runs = 3;
    private double soakMinutes = 10;
    private int streams = 16;
    private int catalogRequests = 100;
    private int accessRequests = 50;
    private int soakConcurrency = 4;
    private boolean streamsOnly;
    private final Map<String, String> labSettings = new java.util.TreeMap<>();

    public static void main(String[] args) throws Exception {
        var bench = new LoadBench();
        for (var i = 0; i < args.length - 1; i++) {
            switch (args[i]) {
                case "--rows" -> bench.rows = Long.parseLong(args[i + 1]);
                case "--runs" -> bench.runs = Integer.parseInt(args[i + 1]);
                case "--soak-minutes" -> bench.soakMinutes = Double.parseDouble(args[i + 1]);
                case "--streams" -> bench.streams = Integer.parseInt(args[i + 1]);
                case "--catalog-requests" -> bench.catalogRequests = Integer.parseInt(args[i + 1]);
                case "--access-requests" -> bench.accessRequests = Integer.parseInt(args[i + 1]);
                case "--soak-concurrency" -> bench.soakConcurrency = Integer.parseInt(args[i + 1]);
                // S alone, for tuning the data plane: prints its lines, writes neither the JSON nor the report
                case "--only" -> bench.streamsOnly = "streams".equals(args[i + 1]);
                // tuning experiments: a setting for both labs, e.g. edc.datasource.default.pool.connections.max-total=32
                case "--lab-setting" -> bench.labSettings.put(args[i + 1].substring(0, args[i + 1].indexOf('=')), args[i + 1].substring(args[i + 1].indexOf('=') + 1));
                default -> {
                }
            }
        }
        var passed = bench.run(Path.of("bench/work"), Path.of("docs/reliability.md"), Path.of("bench/results/load.json"));
        // the labs are stopped; non-daemon threads of java.net.http must not keep this JVM alive either way
        System.exit(passed ? 0 : 1);
    }

    boolean run(Path work, Path reportFile, Path results) throws Exception {
        var machine = Machine.describe();
        System.out.println("machine: " + machine.oneLine());
        var file = DataPlaneBench.dataset(work, rows);
        var small = NotebookBench.smallDataset(work);
        var dir = Files.createTempDirectory("labspace-bench-load");
        var providerSettings = new LinkedHashMap<>(labSettings);
        providerSettings.put("labspace.dataplane.threads", "1");
        // the lab's defaults (8 streams sent at once, 512 MB): 16 researchers at once is what they must carry, the
        // streams beyond what fits waiting in line (labspace.dataplane.stream-wait) instead of failing
        try (var labs = BenchLabs.start(dir, providerSettings, labSettings)) {
            var keys = setUp(labs, file, small);
            var research = new ResearchClient(URI.create("http://127.0.0.1:" + labs.consumer().settings().get("web.http.research.port") + "/research"),
                    REQUEST_TIMEOUT);
            Thread.sleep(2000);
            var idle = ProcessStats.of(labs.provider().pid());
            result("provider_idle_rss_MB", idle.rssMb(), "MB");
            var grants = streams(research, keys, labs.provider().pid(), idle);
            if (streamsOnly) {
                System.out.println(failed.isEmpty() ? "streams: every target held" : "STREAMS FAILED: " + String.join("; ", failed));
                return failed.isEmpty();
            }
            rounds("C_catalog", catalogRequests, (run, i) -> {
                var answer = research.dataset(keys.get(i % keys.size()), PROVIDER, STREAMED);
                if (!answer.ok()) {
                    return answer.describe();
                }
                return answer.body().hasNonNull("offersError") ? "offersError: " + answer.body().get("offersError").asText()
                        : answer.body().path("offers").isEmpty() ? "no offers" : null;
            });
            soloAccess(research, keys.get(0));
            var perRound = (accessRequests + PURPOSES.size() - 1) / PURPOSES.size();
            rounds("A_access", accessRequests, (run, i) -> {
                // every round asks for dataset and purpose pairs not asked before: each access negotiates
                var dataset = PROVIDER + "/access-" + (run * perRound + i / PURPOSES.size() + 1);
                var answer = research.access(keys.get(i % keys.size()), dataset, PURPOSES.get(i % PURPOSES.size()), false);
                if (!answer.ok()) {
                    return answer.describe();
                }
                if (answer.body().path("token").asText().isEmpty() || answer.body().path("endpoint").asText().isEmpty()) {
                    return "no endpoint or token: " + answer.body();
                }
                return answer.body().path("agreementReused").asBoolean() ? "agreement reused, expected a negotiation" : null;
            });
            rounds("Q_search", catalogRequests, (run, i) -> {
                // words every configuration's datasets carry, so that a result is always due
                var answer = research.search(keys.get(i % keys.size()), SEARCHES.get(i % SEARCHES.size()));
                return !answer.ok() ? answer.describe() : answer.body().path("total").asInt() == 0 ? "no results" : null;
            });
            soak(labs, research, keys, grants);
        } finally {
            BenchFiles.deleteQuietly(dir);
        }
        machine = machine.withLoadAfter();
        report.writeJson(results);
        writeReport(reportFile, machine, Files.size(file) / 1e6);
        if (!failed.isEmpty()) {
            System.out.println("LOAD SUITE FAILED: " + String.join("; ", failed));
            return false;
        }
        System.out.println("load suite: every target held");
        return true;
    }

    /** The policy, the streamed dataset and the small ones for access and soak, researchers, a crawl. */
    private List<String> setUp(BenchLabs labs, Path file, Path small) {
        var p = labs.provider().management();
        p.post("/labspace/v1/policies", json.createObjectNode().put("file", "bench-research.yaml").put("source", POLICY));
        p.registerDataset(dataset(STREAMED, file));
        var perRound = (accessRequests + PURPOSES.size() - 1) / PURPOSES.size();
        for (var i = 1; i <= (runs + 1) * perRound; i++) {
            p.registerDataset(dataset("access-" + i, small));
        }
        for (var i = 1; i <= SOAK_DATASETS; i++) {
            p.registerDataset(dataset("soak-" + i, small));
        }
        for (var i = 1; i <= SOLO_DATASETS; i++) {
            p.registerDataset(dataset("solo-" + i, small));
        }
        var c = labs.consumer().management();
        var keys = new ArrayList<String>();
        for (var i = 0; i < Math.max(streams, soakConcurrency); i++) {
            keys.add(c.post("/labspace/v1/researchers", json.createObjectNode().put("name", "load-" + i)).path("key").asText());
        }
        c.post("/labspace/v1/federated/crawl", json.createObjectNode());
        return keys;
    }

    private static Map<String, Object> dataset(String id, Path file) {
        var registration = new LinkedHashMap<String, Object>();
        registration.put("id", id);
        registration.put("path", file.toAbsolutePath().toString());
        registration.put("title", "Benchmark data " + id);
        registration.put("keywords", List.of("bench"));
        registration.put("license", "CC0-1.0");
        registration.put("policy", "bench-research");
        return registration;
    }

    /** The provider's stream settings: the lab's defaults unless --lab-setting says otherwise. */
    private int maxStreams() {
        return Integer.parseInt(labSettings.getOrDefault("labspace.dataplane.max-streams", "8"));
    }

    private int dataPlaneMemoryMb() {
        return Integer.parseInt(labSettings.getOrDefault("labspace.dataplane.memory-mb", "512"));
    }

    // ---- S: concurrent streams ----

    /** A read's numbers, and the CPU the provider and this client (the bench's process) spent on it. */
    private record StreamRun(double seconds, long bytes, long rows, List<String> errors, CpuTime provider, CpuTime client) {
        double mbps() {
            return bytes / 1e6 / seconds;
        }

        double providerMillisPerMb() {
            return provider.processSeconds() * 1e3 / (bytes / 1e6);
        }

        double providerFaultsPerMb() {
            return provider.processMinorFaults() / (bytes / 1e6);
        }

        /** CPU milliseconds per MB delivered, provider and client, and how busy the machine was. */
        String cpu() {
            var mb = bytes / 1e6;
            return "provider %.2f ms/MB (sys %.0f%%, %.0f page faults/MB), client %.2f ms/MB (sys %.0f%%), machine %s, %.0f context switches/MB".formatted(
                    providerMillisPerMb(), provider.systemPercent(), providerFaultsPerMb(), client.processSeconds() * 1e3 / mb, client.systemPercent(),
                    provider.machineShares(), provider.machineContextSwitches() / mb);
        }

        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /** One access per researcher (16 transfers), then single and concurrent reads; answers the grants for the soak. */
    private List<JsonNode> streams(ResearchClient research, List<String> keys, long providerPid, ProcessStats idle) throws Exception {
        var grants = new ArrayList<JsonNode>();
        for (var i = 0; i < streams; i++) {
            var answer = research.access(keys.get(i), PROVIDER + "/" + STREAMED, PURPOSES.get(0), false);
            if (!answer.ok()) {
                throw new IllegalStateException("access for stream " + i + " failed: " + answer.describe());
            }
            grants.add(answer.body());
        }
        var clients = grants.stream().map(g -> new ArrowStreamClient(URI.create(g.path("endpoint").asText()), g.path("token").asText(),
                Duration.ofSeconds(120), 0)).toList();
        var peak = new AtomicLong();
        var sampling = new AtomicBoolean(true);
        var sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(ProcessStats.of(providerPid).rssBytes(), Math::max);
                sleep(100);
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        var singles = new ArrayList<StreamRun>();
        var concurrent = new ArrayList<StreamRun>();
        var ratios = new ArrayList<Double>();
        var errors = new ArrayList<String>();
        try {
            // the provider's JIT compiles the stream path during the first reads: one stream still sped up from 280 to
            // 650 MB/s over the first three runs after two warm-up reads, so both sides are warmed before measuring
            for (var warm = 0; warm < 2; warm++) {
                errors.addAll(readInTurn(clients.get(0), SINGLE_READS, providerPid).errors());
                errors.addAll(read(clients, providerPid).errors());
            }
            for (var run = 0; run < runs; run++) {
                var single = readInTurn(clients.get(0), SINGLE_READS, providerPid);
                var all = read(clients, providerPid);
                System.out.printf("streams run %d: 1 stream %.0f MB/s, %d streams %.0f MB/s aggregate (%.2fx), errors %d%n", run + 1, single.mbps(),
                        clients.size(), all.mbps(), all.mbps() / single.mbps(), single.errors().size() + all.errors().size());
                System.out.printf("  cpu, 1 stream: %s%n  cpu, %d streams: %s%n", single.cpu(), clients.size(), all.cpu());
                singles.add(single);
                concurrent.add(all);
                ratios.add(all.mbps() / single.mbps());
                errors.addAll(single.errors());
                errors.addAll(all.errors());
            }
        } finally {
            sampling.set(false);
            sampler.join();
        }
        errors.stream().limit(5).forEach(e -> System.out.println("stream error: " + e));
        var single = medianBy(singles, StreamRun::mbps);
        var all = medianBy(concurrent, StreamRun::mbps);
        var ratio = median(ratios);
        result("S_single_stream_MBps", single.mbps(), "MB/s");
        result("S_single_stream_rows_per_s", single.rowsPerSecond(), "rows/s");
        result("S_" + streams + "_streams_aggregate_MBps", all.mbps(), "MB/s");
        result("S_" + streams + "_streams_aggregate_rows_per_s", all.rowsPerSecond(), "rows/s");
        result("S_" + streams + "_streams_wall_s", all.seconds(), "s");
        result("S_provider_peak_rss_MB", peak.get() / 1e6, "MB");
        var bound = idle.rssMb() + PROVIDER_HEAP_MB + dataPlaneMemoryMb();
        target("S_" + streams + "_streams_vs_1_aggregate_throughput", ratio, 1.0, ratio >= 1.0,
                "aggregate throughput of %d streams at least that of one (median ratio of %d runs)".formatted(streams, runs));
        target("S_stream_errors", errors.size(), 0, errors.isEmpty(), "no stream failed or carried a wrong row count");
        target("S_provider_peak_rss_MB", peak.get() / 1e6, bound, peak.get() / 1e6 <= bound,
                "provider RSS at most idle RSS + its heap limit (%d MB) + labspace.dataplane.memory-mb (%d)".formatted(PROVIDER_HEAP_MB, dataPlaneMemoryMb()));
        summary.add("| %d streams at once vs 1 (aggregate) | %.0f MB/s, %.2fM rows/s vs %.0f MB/s, %.2fM rows/s: **%.2fx** |".formatted(streams, all.mbps(),
                all.rowsPerSecond() / 1e6, single.mbps(), single.rowsPerSecond() / 1e6, ratio));
        summary.add("| provider RSS: idle, peak during the streams | %.0f MB, %.0f MB |".formatted(idle.rssMb(), peak.get() / 1e6));
        summary.add("| provider CPU per MB sent, 1 stream vs %d (medians) | %.2f vs %.2f ms/MB; page faults %.0f vs %.0f per MB |".formatted(streams,
                median(singles.stream().map(StreamRun::providerMillisPerMb).toList()), median(concurrent.stream().map(StreamRun::providerMillisPerMb).toList()),
                median(singles.stream().map(StreamRun::providerFaultsPerMb).toList()), median(concurrent.stream().map(StreamRun::providerFaultsPerMb).toList())));
        return grants;
    }

    /**
     * One stream's throughput: one client reads the whole dataset {@code times} times, one read after the other. A
     * single read of the 150 MB dataset takes about 0.3 s here, too short a window on a shared machine: one-read
     * baselines ranged from 323 to 755 MB/s within a run, while the 16 streams' window is about 5 s.
     */
    private StreamRun readInTurn(ArrowStreamClient client, int times, long providerPid) throws InterruptedException {
        double seconds = 0;
        long bytes = 0;
        long delivered = 0;
        var errors = new ArrayList<String>();
        var provider = CpuTime.zero();
        var self = CpuTime.zero();
        for (var i = 0; i < times; i++) {
            var run = read(List.of(client), providerPid);
            seconds += run.seconds();
            bytes += run.bytes();
            delivered += run.rows();
            errors.addAll(run.errors());
            provider = provider.plus(run.provider());
            self = self.plus(run.client());
        }
        return new StreamRun(seconds, bytes, delivered, errors, provider, self);
    }

    /** Every client reads the whole dataset, all at once; wall time from the start to the last batch. */
    private StreamRun read(List<ArrowStreamClient> clients, long providerPid) throws InterruptedException {
        var bytes = new AtomicLong();
        var delivered = new AtomicLong();
        var errors = Collections.synchronizedList(new ArrayList<String>());
        var gate = new CountDownLatch(1);
        var threads = new ArrayList<Thread>();
        try (var root = new RootAllocator()) {
            for (var i = 0; i < clients.size(); i++) {
                var client = clients.get(i);
                var name = "stream-" + i;
                var thread = new Thread(() -> {
                    try (BufferAllocator allocator = root.newChildAllocator(name, 0, Long.MAX_VALUE)) {
                        gate.await();
                        var result = client.read(StreamQuery.ALL, allocator, batch -> bytes.addAndGet(size(batch)));
                        delivered.addAndGet(result.rows());
                        if (result.rows() != rows) {
                            errors.add(name + " carried " + result.rows() + " rows, not " + rows);
                        }
                    } catch (RuntimeException | InterruptedException e) {
                        errors.add(name + ": " + e.getMessage());
                    }
                }, name);
                thread.start();
                threads.add(thread);
            }
            var self = ProcessHandle.current().pid();
            var providerBefore = CpuTime.of(providerPid);
            var selfBefore = CpuTime.of(self);
            var started = System.nanoTime();
            gate.countDown();
            for (var thread : threads) {
                thread.join();
            }
            var seconds = (System.nanoTime() - started) / 1e9;
            return new StreamRun(seconds, bytes.get(), delivered.get(), List.copyOf(errors), CpuTime.of(providerPid).since(providerBefore),
                    CpuTime.of(self).since(selfBefore));
        }
    }

    // ---- C, A, Q: concurrent requests ----

    /** One request of a round: null when it succeeded, else what went wrong. */
    @FunctionalInterface
    private interface Request {
        String send(int round, int index);
    }

    private record Round(List<Double> millis, List<String> errors) {
        double percentile(double p) {
            return LoadBench.percentile(millis, p);
        }
    }

    /**
     * A warm-up round, then {@code runs} rounds of {@code n} requests released at once; each request answers null or
     * what went wrong. Medians over the rounds of each round's p50, p99 and max.
     */
    private void rounds(String name, int n, Request request) throws InterruptedException {
        var measured = new ArrayList<Round>();
        var errors = 0;
        for (var run = 0; run <= runs; run++) {
            var current = run;
            var round = concurrently(n, i -> request.send(current, i));
            System.out.printf("%s round %d%s: p50 %.0f ms, p99 %.0f ms, max %.0f ms, errors %d%n", name, run, run == 0 ? " (warm-up)" : "",
                    round.percentile(50), round.percentile(99), round.percentile(100), round.errors().size());
            round.errors().stream().limit(3).forEach(e -> System.out.println("  error: " + e));
            errors += round.errors().size();
            if (run > 0) {
                measured.add(round);
            }
        }
        var p50 = median(measured.stream().map(r -> r.percentile(50)).toList());
        var p99 = median(measured.stream().map(r -> r.percentile(99)).toList());
        var max = median(measured.stream().map(r -> r.percentile(100)).toList());
        result(name + "_" + n + "_concurrent_p50", p50, "ms");
        result(name + "_" + n + "_concurrent_p99", p99, "ms");
        result(name + "_" + n + "_concurrent_max", max, "ms");
        target(name + "_errors", errors, 0, errors == 0, "no request of %d rounds of %d (warm-up included) failed".formatted(runs + 1, n));
        summary.add("| %s: %d at once | p50 %.0f ms, p99 %.0f ms, max %.0f ms; %d errors in %d requests |".formatted(name, n, p50, p99, max, errors, (runs + 1) * n));
    }

    private static Round concurrently(int n, IntFunction<String> request) throws InterruptedException {
        var millis = Collections.synchronizedList(new ArrayList<Double>());
        var errors = Collections.synchronizedList(new ArrayList<String>());
        var gate = new CountDownLatch(1);
        var threads = new ArrayList<Thread>();
        for (var i = 0; i < n; i++) {
            var index = i;
            var thread = new Thread(() -> {
                try {
                    gate.await();
                    var started = System.nanoTime();
                    String error;
                    try {
                        error = request.apply(index);
                    } catch (RuntimeException e) {
                        error = e.toString();
                    }
                    millis.add((System.nanoTime() - started) / 1e6);
                    if (error != null) {
                        errors.add(error);
                    }
                } catch (InterruptedException e) {
                    errors.add("interrupted");
                }
            });
            thread.start();
            threads.add(thread);
        }
        gate.countDown();
        for (var thread : threads) {
            thread.join();
        }
        return new Round(List.copyOf(millis), List.copyOf(errors));
    }

    /** Fresh accesses one at a time (the first a warm-up): what one researcher alone waits, for comparison. */
    private void soloAccess(ResearchClient research, String key) {
        var millis = new ArrayList<Double>();
        var errors = 0;
        for (var i = 0; i < SOLO_DATASETS * PURPOSES.size(); i++) {
            var started = System.nanoTime();
            var answer = research.access(key, PROVIDER + "/solo-" + (i / PURPOSES.size() + 1), PURPOSES.get(i % PURPOSES.size()), false);
            if (!answer.ok()) {
                errors++;
                System.out.println("solo access error: " + answer.describe());
            } else if (i > 0) {
                millis.add((System.nanoTime() - started) / 1e6);
            }
        }
        var median = median(millis);
        result("A_access_alone_median", median, "ms");
        target("A_access_alone_errors", errors, 0, errors == 0, "no access one at a time failed");
        summary.add("| A_access: one at a time, no agreement yet (median of %d) | %.0f ms |".formatted(millis.size(), median));
    }

    // ---- K: soak ----

    private record Sample(double seconds, ProcessStats provider, ProcessStats consumer) {
    }

    /**
     * {@code soakConcurrency} researchers in a closed loop for {@code soakMinutes}: 30% streams (a quarter of the
     * dataset, at most 500,000 rows), 20% dataset requests, 20% searches, 30% accesses to a few datasets (agreement
     * reused; half of them start a new transfer). Both labs are sampled 12 times per window.
     */
    private void soak(BenchLabs labs, ResearchClient research, List<String> keys, List<JsonNode> grants) throws InterruptedException {
        var total = soakMinutes * 60;
        var window = Math.min(60, total / 4);
        var interval = window / 12;
        var limit = Math.min(rows, Math.max(1, Math.min(500_000, rows / 4)));
        var counts = new ConcurrentHashMap<String, AtomicLong>();
        var errorCounts = new ConcurrentHashMap<String, AtomicLong>();
        var firstErrors = Collections.synchronizedList(new ArrayList<String>());
        var samples = Collections.synchronizedList(new ArrayList<Sample>());
        var providerPid = labs.provider().pid();
        var consumerPid = labs.consumer().pid();
        System.out.printf("soak: %.1f minutes, %d researchers at once, sampling every %.1f s ...%n", soakMinutes, soakConcurrency, interval);
        var started = System.nanoTime();
        var deadline = started + (long) (total * 1e9);
        var sampler = new Thread(() -> {
            for (var next = started; System.nanoTime() < deadline; next += (long) (interval * 1e9)) {
                sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                samples.add(new Sample((System.nanoTime() - started) / 1e9, ProcessStats.of(providerPid), ProcessStats.of(consumerPid)));
            }
        }, "soak-sampler");
        sampler.start();
        var workers = new ArrayList<Thread>();
        for (var w = 0; w < soakConcurrency; w++) {
            var key = keys.get(w % keys.size());
            var grant = grants.get(w % grants.size());
            var random = new Random(42 + w);
            var stream = new ArrowStreamClient(URI.create(grant.path("endpoint").asText()), grant.path("token").asText(), Duration.ofSeconds(120), 0);
            var worker = new Thread(() -> {
                try (var root = new RootAllocator()) {
                    while (System.nanoTime() < deadline) {
                        var pick = random.nextInt(10);
                        var op = pick < 3 ? "stream" : pick < 5 ? "catalog" : pick < 7 ? "search" : "access";
                        String error;
                        try {
                            error = switch (op) {
                                case "stream" -> {
                                    try (var allocator = root.newChildAllocator("soak", 0, Long.MAX_VALUE)) {
                                        var read = stream.read(StreamQuery.ALL.withLimit(limit), allocator, batch -> {
                                        });
                                        yield read.rows() == limit ? null : "stream carried " + read.rows() + " rows, not " + limit;
                                    }
                                }
                                case "catalog" -> {
                                    var answer = research.dataset(key, PROVIDER, "soak-" + (random.nextInt(SOAK_DATASETS) + 1));
                                    yield !answer.ok() ? answer.describe() : answer.body().hasNonNull("offersError") ? answer.body().get("offersError").asText() : null;
                                }
                                case "search" -> {
                                    var answer = research.search(key, "bench " + random.nextInt(100));
                                    yield answer.ok() ? null : answer.describe();
                                }
                                default -> {
                                    var answer = research.access(key, PROVIDER + "/soak-" + (random.nextInt(SOAK_DATASETS) + 1),
                                            PURPOSES.get(random.nextInt(PURPOSES.size())), random.nextBoolean());
                                    yield answer.ok() ? null : answer.describe();
                                }
                            };
                        } catch (RuntimeException e) {
                            error = e.toString();
                        }
                        counts.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
                        if (error != null) {
                            errorCounts.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
                            if (firstErrors.size() < 10) {
                                firstErrors.add(op + ": " + error);
                            }
                        }
                    }
                }
            }, "soak-" + w);
            worker.start();
            workers.add(worker);
        }
        for (var worker : workers) {
            worker.join();
        }
        sampler.join();
        Thread.sleep(5000);
        var after = new Sample(total + 5, ProcessStats.of(providerPid), ProcessStats.of(consumerPid));

        firstErrors.forEach(e -> System.out.println("soak error: " + e));
        long operations = 0;
        long errors = 0;
        var mix = new StringBuilder();
        for (var op : List.of("stream", "catalog", "search", "access")) {
            var n = counts.getOrDefault(op, new AtomicLong()).get();
            var e = errorCounts.getOrDefault(op, new AtomicLong()).get();
            operations += n;
            errors += e;
            result("K_soak_" + op + "_operations", n, "operations");
            mix.append(mix.isEmpty() ? "" : ", ").append(n).append(' ').append(op).append(e > 0 ? " (" + e + " failed)" : "");
        }
        result("K_soak_minutes", soakMinutes, "min");
        target("K_soak_errors", errors, 0, errors == 0, "no operation of the soak failed");
        summary.add("| soak: %.0f min, %d researchers at once | %d operations (%s), %d errors |".formatted(soakMinutes, soakConcurrency, operations, mix, errors));

        var list = List.copyOf(samples);
        flat(list, window, after, "provider", Sample::provider);
        flat(list, window, after, "consumer", Sample::consumer);
        notes.add("Soak samples every %.1f s; windows of %.0f s: \"flat\" compares the median of the last window with that of the second (the first is warm-up)."
                .formatted(interval, window));
    }

    /** Start, end, peak, slope after warm-up and the window medians of RSS, open files and threads of one lab. */
    private void flat(List<Sample> samples, double window, Sample after, String lab, java.util.function.Function<Sample, ProcessStats> stats) {
        var end = samples.get(samples.size() - 1).seconds();
        var measures = List.<Map.Entry<String, java.util.function.ToDoubleFunction<ProcessStats>>>of(
                Map.entry("rss_MB", ProcessStats::rssMb), Map.entry("open_files", s -> s.openFiles()), Map.entry("threads", s -> s.threads()));
        for (var measure : measures) {
            var name = "K_" + lab + "_" + measure.getKey();
            var f = measure.getValue();
            var second = median(samples.stream().filter(s -> s.seconds() >= window && s.seconds() < 2 * window).map(s -> f.applyAsDouble(stats.apply(s))).toList());
            var last = median(samples.stream().filter(s -> s.seconds() >= end - window).map(s -> f.applyAsDouble(stats.apply(s))).toList());
            var peak = samples.stream().mapToDouble(s -> f.applyAsDouble(stats.apply(s))).max().orElse(0);
            var slope = slopePerMinute(samples.stream().filter(s -> s.seconds() >= window).toList(), s -> f.applyAsDouble(stats.apply(s)));
            var unit = measure.getKey().equals("rss_MB") ? "MB" : measure.getKey().replace('_', ' ');
            result(name + "_start", f.applyAsDouble(stats.apply(samples.get(0))), unit);
            result(name + "_second_window_median", second, unit);
            result(name + "_last_window_median", last, unit);
            result(name + "_end", f.applyAsDouble(stats.apply(samples.get(samples.size() - 1))), unit);
            result(name + "_peak", peak, unit);
            result(name + "_slope_per_min", slope, unit + "/min");
            result(name + "_5s_after_soak", f.applyAsDouble(stats.apply(after)), unit);
            var bound = measure.getKey().equals("rss_MB") ? second * (1 + RSS_TOLERANCE) : second + Math.max(COUNT_SLACK, second * COUNT_TOLERANCE);
            target(name + "_flat", last, bound, last <= bound, measure.getKey().equals("rss_MB")
                    ? "%s RSS: last-window median at most 10%% above the second window's".formatted(lab)
                    : "%s %s: last-window median at most max(8, 10%%) above the second window's".formatted(lab, unit));
            summary.add("| soak, %s %s: start, second window, last window, end, peak (slope after warm-up) | %.0f, %.0f, %.0f, %.0f, %.0f (%+.1f/min) |".formatted(lab, unit,
                    f.applyAsDouble(stats.apply(samples.get(0))), second, last, f.applyAsDouble(stats.apply(samples.get(samples.size() - 1))), peak, slope));
        }
    }

    /** Least-squares slope of the samples, per minute. */
    private static double slopePerMinute(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
        var n = samples.size();
        if (n < 2) {
            return 0;
        }
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (var s : samples) {
            var x = s.seconds() / 60;
            var y = value.applyAsDouble(s);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        var denominator = n * sxx - sx * sx;
        return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
    }

    // ---- output ----

    private void result(String name, double value, String unit) {
        report.result(name, value, unit);
    }

    private void target(String name, double measured, double bound, boolean pass, String meaning) {
        report.target(name, measured, bound, pass);
        if (!pass) {
            failed.add(name + " (" + meaning + "): measured %.2f, bound %.2f".formatted(measured, bound));
        }
        summary.add("| target: %s | %s: %.2f against %.2f, **%s** |".formatted(name, meaning, measured, bound, pass ? "held" : "MISSED"));
    }

    private void writeReport(Path file, Machine machine, double fileMb) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    # Reliability

                    How a lab holds up under load and over time. Each section is written by its harness under `bench/`
                    (see [benchmarks](benchmarks.md) for speed); text outside the generated sections is kept.
                    """);
        }
        var description = ("`bench/run.sh --suite load --rows %d --runs %d --soak-minutes %s%s` on %s. "
                + "A provider and a consumer lab (each its own JVM with its embedded PostgreSQL; provider -Xmx256m, "
                + "`labspace.dataplane.max-streams=%d`, `labspace.dataplane.memory-mb=%d`%s, other settings default) on loopback; every request goes the researcher's way: "
                + "the consumer's research API, then Arrow IPC straight from the provider. "
                + "S: %d researchers each with their own transfer read the whole dataset (%,d rows, %.0f MB of snappy Parquet) at once, "
                + "against one stream alone in the same run (one client reading the dataset " + SINGLE_READS + " times, one read after the other, bytes over the sum of the reads' times; alternating with the 16); aggregate = Arrow bytes (or rows) of all streams / wall time to the last batch; "
                + "every stream's row count checked; provider RSS sampled every 100 ms; provider CPU time and minor page faults read from /proc/PID/stat before and after each read. "
                + "C: %d concurrent `GET /v1/datasets/{lab}/{id}` (the provider's offers over the Dataspace Protocol, as `lab.dataset()` asks; "
                + "an `offersError` counts as an error). A: %d concurrent `POST /v1/access`, each for a dataset and purpose with no agreement "
                + "yet (negotiation, transfer, endpoint and token); `A_access_alone`: the same one at a time. Q: %d concurrent searches. One warm-up round then %d rounds of each; "
                + "medians over the rounds of each round's p50, p99 (nearest rank) and max. "
                + "K: %d researchers in a closed loop for %s minutes (30%% streams of %,d rows, 20%% dataset requests, 20%% searches, "
                + "30%% accesses to %d datasets with the agreement reused, half of them starting a new transfer); "
                + "RSS (VmRSS), open file descriptors (/proc/PID/fd) and threads of both labs' JVMs sampled (their PostgreSQL processes not included). "
                + "Measured %s on a shared machine: other jobs may have been running (load average before and after below).")
                .formatted(rows, runs, fmt(soakMinutes), labSettings.entrySet().stream().map(e -> " --lab-setting " + e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining()), machine.oneLine(), maxStreams(), dataPlaneMemoryMb(), labSettings.isEmpty() ? ""
                        : "; both labs: " + String.join(", ", labSettings.entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`").toList()), streams, rows, fileMb, catalogRequests, accessRequests,
                        catalogRequests, runs, soakConcurrency, fmt(soakMinutes), Math.min(rows, Math.max(1, Math.min(500_000, rows / 4))), SOAK_DATASETS,
                        LocalDate.now());
        var after = new StringBuilder("\n| measure | result |\n|---|---|\n");
        summary.forEach(s -> after.append(s).append('\n'));
        after.append('\n').append("Machine: ").append(machine.markdown()).append('\n');
        notes.forEach(n -> after.append('\n').append(n).append('\n'));
        report.writeSection(file, "load", "Load (bench/run.sh --suite load)", description, after.toString());
    }

    private static String fmt(double minutes) {
        return minutes == Math.rint(minutes) ? String.valueOf((long) minutes) : String.valueOf(minutes);
    }

    // ---- helpers ----

    private static long size(VectorSchemaRoot root) {
        long bytes = 0;
        for (var vector : root.getFieldVectors()) {
            bytes += vector.getBufferSize();
        }
        return bytes;
    }

    /** Nearest rank: the smallest value with at least p% of the values at or below it. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        var sorted = values.stream().sorted().toList();
        var rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static <T> T medianBy(List<T> values, java.util.function.ToDoubleFunction<T> key) {
        return values.stream().sorted(java.util.Comparator.comparingDouble(key)).toList().get(values.size() / 2);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
