package org.labspace.bench;

import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;
import org.labspace.connector.launch.LocalLab;
import org.labspace.connector.launch.LocalNetwork;
import org.labspace.connector.trust.KeyAlgorithm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Contract negotiation latency between two lab connectors on loopback, Labspace's event-driven state machines
 * against EDC's stock polling (the baseline: {@code labspace.state-machine.event-driven=false}, EDC's 1000 ms
 * iteration waits), measured in the same run; plus idle CPU of each connector and its database.
 * <p>
 * Usage: {@code bench/negotiation-latency [negotiations]}; writes its section of {@code docs/benchmarks.md}.
 */
public final class NegotiationLatencyBench {

    private static final String START = "<!-- negotiation-latency:start -->";
    private static final String END = "<!-- negotiation-latency:end -->";

    record Result(String mode, long firstMillis, List<Long> millis, double idleCpuPercent) {
        long median() {
            return percentile(50);
        }

        long percentile(int p) {
            var sorted = millis.stream().sorted(Comparator.naturalOrder()).toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }
    }

    public static void main(String[] args) throws Exception {
        var negotiations = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        var report = args.length > 1 ? Path.of(args[1]) : Path.of("docs/benchmarks.md");
        var work = Files.createTempDirectory("labspace-bench-negotiation");
        var results = new ArrayList<Result>();
        // baseline first, then Labspace: both pay the same cold start
        results.add(measure("EDC stock polling (baseline)", Map.of("labspace.state-machine.event-driven", "false"), KeyAlgorithm.EC_P256, negotiations, work.resolve("baseline")));
        results.add(measure("Labspace event-driven", Map.of(), KeyAlgorithm.EC_P256, negotiations, work.resolve("labspace")));
        results.add(measure("Labspace event-driven, Ed25519 lab keys", Map.of(), KeyAlgorithm.ED25519, negotiations, work.resolve("labspace-ed25519")));
        var tokenCosts = List.of(IdentityTokenCost.measure(KeyAlgorithm.EC_P256, 4000), IdentityTokenCost.measure(KeyAlgorithm.ED25519, 4000));
        write(report, results, negotiations, tokenCosts);
        System.out.println("wrote " + report);
        BenchFiles.deleteQuietly(work);
    }

    private static final String API_KEY = "bench-management-key-0123456789";

    private static Result measure(String mode, Map<String, String> extra, KeyAlgorithm labKeys, int negotiations, Path dir) throws Exception {
        System.out.println("== " + mode);
        var network = new LocalNetwork(dir.resolve("network"), "bench-network").labKeys(labKeys);
        var providerConfig = network.lab("bench-provider", dir.resolve("bench-provider"), API_KEY, extra);
        var consumerConfig = network.lab("bench-consumer", dir.resolve("bench-consumer"), API_KEY, extra);
        network.publish();
        try (var provider = start("bench-provider", dir, providerConfig);
             var consumer = start("bench-consumer", dir, consumerConfig)) {
            var p = provider.management();
            var c = consumer.management();
            p.createAsset("bench-dataset", Map.of("name", "benchmark dataset"), Map.of("type", "HttpData", "baseUrl", "https://data.example/bench"));
            p.createPolicy("bench-policy", p.emptyPolicy());
            p.createContractDefinition("bench-offer", "bench-policy", "bench-policy", List.of("bench-dataset"));
            var catalog = c.requestCatalog(provider.protocolUrl().toString(), provider.participantId());
            var offer = ManagementClient.firstOfferId(ManagementClient.datasets(catalog).get(0));

            var first = negotiate(c, provider, offer);
            var times = new ArrayList<Long>();
            for (int i = 0; i < negotiations; i++) {
                times.add(negotiate(c, provider, offer));
            }
            System.out.printf("first %d ms, then %s%n", first, times);
            // let JIT compilation and the hot polling window end before measuring idle cost
            Thread.sleep(15_000);
            var idle = idleCpuPercent(List.of(provider, consumer), dir, Duration.ofSeconds(20));
            return new Result(mode, first, times, idle);
        }
    }

    private static long negotiate(ManagementClient consumer, LabProcess provider, String offer) {
        var started = System.nanoTime();
        var id = consumer.negotiate(provider.protocolUrl().toString(), provider.participantId(), offer, "bench-dataset");
        var negotiation = consumer.awaitNegotiation(id, Duration.ofSeconds(60));
        if (!"FINALIZED".equals(negotiation.path("state").asText())) {
            throw new IllegalStateException("negotiation ended " + negotiation);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** CPU used by the connectors and their PostgreSQL servers while nothing happens, in percent of one core. */
    private static double idleCpuPercent(List<LabProcess> labs, Path dir, Duration window) throws Exception {
        var before = cpuNanos(labs, dir);
        Thread.sleep(window.toMillis());
        var after = cpuNanos(labs, dir);
        return 100.0 * (after - before) / window.toNanos() / labs.size();
    }

    private static long cpuNanos(List<LabProcess> labs, Path dir) throws IOException {
        long total = 0;
        for (var lab : labs) {
            total += cpu(ProcessHandle.of(lab.pid()).orElseThrow());
            var pidFile = dir.resolve(lab.name()).resolve("postgres").resolve("postmaster.pid");
            var postmaster = ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
            if (postmaster.isPresent()) {
                total += cpu(postmaster.get());
                total += postmaster.get().descendants().mapToLong(NegotiationLatencyBench::cpu).sum();
            }
        }
        return total;
    }

    private static long cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static LabProcess start(String name, Path dir, Map<String, String> config) {
        var file = LocalLab.write(dir.resolve(name + ".properties"), config);
        return LabProcess.of(name, file, Map.of(), dir.resolve(name + ".log")).start(Duration.ofSeconds(180));
    }

    private static void write(Path report, List<Result> results, int negotiations, List<IdentityTokenCost.Cost> tokenCosts) throws IOException {
        var baseline = results.get(0);
        var labspace = results.get(1);
        var section = new StringBuilder();
        section.append(START).append('\n');
        section.append("## Contract negotiation latency (bench/negotiation-latency)\n\n");
        section.append("Two connectors on loopback (own processes, embedded PostgreSQL each), one consumer negotiating with one provider, ")
                .append(negotiations).append(" sequential negotiations after a first one; wall time from the consumer's `POST /v3/contractnegotiations` ")
                .append("to `FINALIZED` seen by polling every 10-200 ms. Measured ").append(LocalDate.now()).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores (shared, noisy machine: compare ratios).\n\n");
        section.append("| mode | first negotiation (cold JVM) | median | p90 | idle CPU per connector (+ its PostgreSQL), % of a core, 20 s window 15 s after the last negotiation |\n|---|---|---|---|---|\n");
        for (var r : results) {
            section.append("| %s | %d ms | %d ms | %d ms | %.1f |%n".formatted(r.mode(), r.firstMillis(), r.median(), r.percentile(90), r.idleCpuPercent()));
        }
        section.append("\nMedian ratio baseline / Labspace: **%.1fx** faster; idle CPU ratio: %.1fx.%n".formatted(
                (double) baseline.median() / labspace.median(), baseline.idleCpuPercent() / Math.max(0.01, labspace.idleCpuPercent())));
        for (var other : results.subList(2, results.size())) {
            section.append("%s: median %d ms, %.2fx the P-256 Labspace median.%n".formatted(other.mode(), other.median(), (double) other.median() / labspace.median()));
        }
        section.append("\nEvery mode signs and checks an identity token on every DSP message, with P-256 lab keys unless the mode says Ed25519. ")
                .append("What one token costs, in process, median of the warm half of 4000 rounds:\n\n| key | sign | verify |\n|---|---|---|\n");
        for (var cost : tokenCosts) {
            section.append("| %s | %d µs | %d µs |%n".formatted(cost.algorithm().cliName(), cost.issueMicros(), cost.verifyMicros()));
        }
        section.append(END).append('\n');

        var text = Files.exists(report) ? Files.readString(report) : "# Benchmarks\n\nEach section is written by its harness under `bench/`; numbers are medians of one run.\n\n";
        var start = text.indexOf(START);
        var end = text.indexOf(END);
        text = start >= 0 && end > start
                ? text.substring(0, start) + section + text.substring(end + END.length() + 1)
                : text + section;
        Files.writeString(report, text);
    }
}
