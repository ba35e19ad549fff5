package org.labspace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;
import org.labspace.dataplane.client.ArrowStreamClient;
import org.labspace.dataplane.client.StreamQuery;
import org.labspace.dataplane.restriction.Restrictions;
import org.labspace.dataplane.restriction.StreamPlanner;
import org.labspace.dataplane.restriction.StreamRequest;
import org.labspace.dataplane.scan.DuckDbParquetScanner;
import org.labspace.dataplane.scan.ParquetSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Arrow data plane against its ceilings: A local read with the same reader, B a full stream from a provider lab
 * to this process, C projected and filtered streams, E raw bytes over a loopback socket; with the provider's peak
 * RSS during B. Prints {@code RESULT} and {@code TARGET} lines, writes bench/results/latest.json and its section of
 * docs/benchmarks.md.
 */
public final class DataPlaneBench {

    private static final long DEFAULT_ROWS = 20_000_000;
    /** Reader threads, for the local read and the provider alike: the connector's default labspace.dataplane.threads. */
    /** DuckDB threads in A and in the provider: one decoded fastest here, at half the CPU of two (docs/benchmarks.md). */
    private static final int THREADS = Integer.getInteger("bench.threads", 1);
    private static final int STREAM_WARM_UPS = 2;

    private final BenchReport report = new BenchReport();
    private final List<String> notes = new ArrayList<>();
    /** Seconds from the transfer request to the endpoint being ready, in B's setup. */
    private double transferToEndpoint;
    private double streamSeconds;

    public static void main(String[] args) throws Exception {
        long rows = DEFAULT_ROWS;
        var runs = 3;
        for (var i = 0; i < args.length - 1; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> {
                }
            }
        }
        new DataPlaneBench().run(rows, runs, Path.of("bench/work"), Path.of("docs/benchmarks.md"), Path.of("bench/results/latest.json"));
    }

    void run(long rows, int runs, Path work, Path report, Path results) throws Exception {
        var file = dataset(work, rows);
        var fileMb = Files.size(file) / 1e6;
        System.out.printf("dataset %s: %,d rows, %.0f MB of snappy Parquet%n", file, rows, fileMb);
        var source = new ParquetSource(List.of(file.toAbsolutePath()), false);

        var local = localRead(source, runs);
        result("A_local_read_MBps", local.mbps(), "MB/s");
        result("A_local_read_rows_per_s", local.rowsPerSecond(), "rows/s");
        result("A_local_read_s", local.seconds(), "s");
        result("A_local_read_cpu_s_per_GB", local.cpuSecondsPerGb(), "s");

        var dir = Files.createTempDirectory("labspace-bench-dataplane");
        try {
            streams(file, source, rows, runs, local, dir);
        } finally {
            BenchFiles.deleteQuietly(dir);
        }

        var stock = StockEdcBaseline.run(file, runs, notes);
        if (stock != null) {
            var stockToTable = stock[1] + local.seconds();
            result("D_stock_edc_download_s", stock[1], "s");
            result("D_stock_edc_time_to_table_s", stockToTable, "s");
            result("D_stock_edc_transfer_request_to_table_s", stock[0] + local.seconds(), "s");
            result("B_transfer_request_to_table_s", transferToEndpoint + streamSeconds, "s");
            target("B_time_to_table_vs_D", streamSeconds / stockToTable, 0.6, streamSeconds / stockToTable <= 0.6);
        }
        var ceiling = rawSocket((long) (local.bytes()), runs);
        result("E_raw_loopback_MBps", ceiling, "MB/s");

        this.report.writeJson(results);
        writeReport(report, rows, fileMb, runs);
    }

    /** Deterministic data, generated once per size into bench/work (not in git). */
    static Path dataset(Path work, long rows) throws Exception {
        var file = work.resolve("dataplane-" + rows + ".parquet");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(work);
        var partial = work.resolve(file.getFileName() + ".partial");
        var features = new StringBuilder();
        for (var f = 0; f < 8; f++) {
            features.append(", (hash(i * 8 + ").append(f).append(") % 1000000) / 1000000.0 AS f").append(f);
        }
        System.out.printf("generating %,d rows into %s ...%n", rows, file);
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("SET preserve_insertion_order = true");
            statement.execute("COPY (SELECT i::BIGINT AS id" + features + ", 'label-' || (hash(i) % 100) AS label,"
                    + " TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i) AS ts FROM range(" + rows + ") t(i))"
                    + " TO '" + partial + "' (FORMAT parquet, COMPRESSION snappy)");
        }
        Files.move(partial, file);
        return file;
    }

    /** One run; {@code cpuSeconds} of this process (the reader in A, the client in B), {@code providerCpuSeconds} of the provider lab. */
    private record Measure(double seconds, double bytes, long rows, double cpuSeconds, double providerCpuSeconds) {
        double mbps() {
            return bytes / 1e6 / seconds;
        }

        double rowsPerSecond() {
            return rows / seconds;
        }

        double cpuSecondsPerGb() {
            return cpuSeconds / (bytes / 1e9);
        }

        double providerCpuSecondsPerGb() {
            return providerCpuSeconds / (bytes / 1e9);
        }
    }

    /** A: the chosen reader decoding the file into Arrow in this process; the ceiling for a Java consumer. */
    private static Measure localRead(ParquetSource source, int runs) throws IOException {
        var measures = new ArrayList<Measure>();
        try (var scanner = new DuckDbParquetScanner(THREADS, 256, DuckDbParquetScanner.DEFAULT_BATCH_ROWS)) {
            var columns = scanner.schema(source).getFields().stream().map(f -> f.getName()).toList();
            var plan = StreamPlanner.plan(columns, Restrictions.NONE, StreamRequest.ALL);
            for (var run = 0; run <= runs; run++) {
                try (var allocator = new RootAllocator(); var scan = scanner.open(source, plan, allocator, "00")) {
                    var started = System.nanoTime();
                    var cpu = ownCpuSeconds();
                    long bytes = 0;
                    long rows = 0;
                    while (scan.reader().loadNextBatch()) {
                        var root = scan.reader().getVectorSchemaRoot();
                        bytes += size(root);
                        rows += root.getRowCount();
                    }
                    if (run > 0) { // the first run warms the JIT and the page cache
                        measures.add(new Measure((System.nanoTime() - started) / 1e9, bytes, rows, ownCpuSeconds() - cpu, 0));
                    }
                }
            }
        }
        return median(measures);
    }

    private void streams(Path file, ParquetSource source, long rows, int runs, Measure local, Path dir) throws Exception {
        try (var labs = BenchLabs.start(dir, Map.of("labspace.dataplane.threads", String.valueOf(THREADS)))) {
            var provider = labs.provider();
            var consumer = labs.consumer();
            var p = provider.management();
            p.createPolicy("members-only", p.emptyPolicy());
            p.createPolicy("open", p.emptyPolicy());
            var registration = new LinkedHashMap<String, Object>();
            registration.put("id", "bench-data");
            registration.put("path", file.toAbsolutePath().toString());
            registration.put("title", "Benchmark data");
            registration.put("keywords", List.of("bench"));
            registration.put("license", "CC0-1.0");
            registration.put("accessPolicy", "members-only");
            registration.put("usagePolicy", "open");
            p.registerDataset(registration);
            var endpoint = access(consumer.management(), provider);
            var client = new ArrowStreamClient(URI.create(endpoint.path("endpoint").asText()), endpoint.path("token").asText(), Duration.ofSeconds(120), 0);

            var peakRss = new AtomicLong();
            var full = stream(client, StreamQuery.ALL, runs, provider.pid(), peakRss);
            streamSeconds = full.seconds();
            result("B_provider_cpu_s_per_GB", full.providerCpuSecondsPerGb(), "s");
            result("B_client_cpu_s_per_GB", full.cpuSecondsPerGb(), "s");
            // what the measured CPU costs allow when provider and client share this machine's cores
            var cores = Runtime.getRuntime().availableProcessors();
            result("B_cpu_ceiling_MBps", cores * 1e3 / (full.providerCpuSecondsPerGb() + full.cpuSecondsPerGb()), "MB/s");
            result("B_stream_full_MBps", full.mbps(), "MB/s");
            result("B_stream_full_rows_per_s", full.rowsPerSecond(), "rows/s");
            result("B_stream_full_time_to_table_s", full.seconds(), "s");
            result("B_provider_peak_rss_MB", peakRss.get() / 1e6, "MB");
            target("B_vs_A_throughput", full.mbps() / local.mbps(), 0.8, full.mbps() / local.mbps() >= 0.8);
            target("B_provider_rss_MB_" + rows + "_rows", peakRss.get() / 1e6, 600, peakRss.get() / 1e6 < 600);

            var projected = stream(client, StreamQuery.ALL.withColumns(List.of("id", "f0")), runs, provider.pid(), new AtomicLong());
            result("C_stream_projected_2_of_11_s", projected.seconds(), "s");
            result("C_stream_projected_MBps", projected.mbps(), "MB/s");
            target("C_projected_time_vs_B", projected.seconds() / full.seconds(), 0.3, projected.seconds() / full.seconds() <= 0.3);
            var filtered = stream(client, StreamQuery.ALL.withFilter("f0 < 0.1"), runs, provider.pid(), new AtomicLong());
            result("C_stream_filtered_10pct_s", filtered.seconds(), "s");
            result("C_stream_filtered_rows", filtered.rows(), "rows");
            result("C_stream_filtered_input_rows_per_s", rows / filtered.seconds(), "rows/s");
            if (full.rows() != rows) {
                throw new IllegalStateException("the full stream carried " + full.rows() + " rows, not " + rows);
            }
        }
    }

    /** Catalog, negotiation, transfer: the endpoint of an ArrowStream-PULL transfer of the benchmark dataset. */
    private JsonNode access(ManagementClient consumer, LabProcess provider) {
        var catalog = consumer.requestCatalog(provider.protocolUrl().toString(), provider.participantId());
        var dataset = ManagementClient.datasets(catalog).get(0);
        var offer = dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy");
        var negotiation = consumer.awaitNegotiation(consumer.negotiateOffer(provider.protocolUrl().toString(), provider.participantId(),
                dataset.path("@id").asText(), offer), Duration.ofSeconds(60));
        var started = System.nanoTime();
        var transfer = consumer.startTransfer(provider.protocolUrl().toString(), negotiation.path("contractAgreementId").asText(),
                ManagementClient.ARROW_PULL);
        var endpoint = consumer.awaitTransferEndpoint(transfer, Duration.ofSeconds(60));
        transferToEndpoint = (System.nanoTime() - started) / 1e9;
        return endpoint;
    }

    /**
     * Reads the stream {@code runs} times after two warm-ups (the provider lab's JIT is still compiling the stream path
     * during the first); samples the provider's RSS meanwhile.
     */
    private static Measure stream(ArrowStreamClient client, StreamQuery query, int runs, long providerPid, AtomicLong peakRss) throws Exception {
        var measures = new ArrayList<Measure>();
        var sampling = new AtomicBoolean(true);
        var sampler = new Thread(() -> {
            while (sampling.get()) {
                peakRss.accumulateAndGet(rss(providerPid), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        try {
            for (var run = -STREAM_WARM_UPS; run < runs; run++) {
                try (var allocator = new RootAllocator()) {
                    var bytes = new AtomicLong();
                    var started = System.nanoTime();
                    var cpu = ownCpuSeconds();
                    var providerCpu = cpuSeconds(providerPid);
                    var result = client.read(query, allocator, batch -> bytes.addAndGet(size(batch)));
                    if (run >= 0) {
                        measures.add(new Measure((System.nanoTime() - started) / 1e9, bytes.get(), result.rows(),
                                ownCpuSeconds() - cpu, cpuSeconds(providerPid) - providerCpu));
                    }
                }
            }
        } finally {
            sampling.set(false);
            sampler.join();
        }
        return median(measures);
    }

    /** E: the loopback ceiling, the same number of bytes over a plain socket between two threads. */
    private static double rawSocket(long bytes, int runs) throws Exception {
        var speeds = new ArrayList<Double>();
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (var run = 0; run <= runs; run++) {
                var sender = new Thread(() -> {
                    try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                        var chunk = new byte[256 * 1024];
                        for (long sent = 0; sent < bytes; sent += chunk.length) {
                            out.write(chunk, 0, (int) Math.min(chunk.length, bytes - sent));
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                sender.start();
                var started = System.nanoTime();
                long received = 0;
                try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()); InputStream in = socket.getInputStream()) {
                    var buffer = new byte[256 * 1024];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        received += n;
                    }
                }
                sender.join();
                if (run > 0) {
                    speeds.add(received / 1e6 / ((System.nanoTime() - started) / 1e9));
                }
            }
        }
        return speeds.stream().sorted().toList().get(speeds.size() / 2);
    }

    /** CPU seconds a process has used (user + system), from /proc. */
    private static double cpuSeconds(long pid) {
        try {
            var fields = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst(".*\\) ", "").split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // clock ticks, USER_HZ = 100
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double ownCpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : 0;
    }

    private static long size(VectorSchemaRoot root) {
        long bytes = 0;
        for (var vector : root.getFieldVectors()) {
            bytes += vector.getBufferSize();
        }
        return bytes;
    }

    private static long rss(long pid) {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process ended, or no /proc: no sample
        }
        return 0;
    }

    private static Measure median(List<Measure> measures) {
        return measures.stream().sorted((a, b) -> Double.compare(a.seconds(), b.seconds())).toList().get(measures.size() / 2);
    }

    private void result(String name, double value, String unit) {
        report.result(name, value, unit);
    }

    private void target(String name, double measured, double bound, boolean pass) {
        report.target(name, measured, bound, pass);
    }

    private void writeReport(Path file, long rows, double fileMb, int runs) throws IOException {
        // the default size has its section; other sizes (the large-dataset memory check) get their own
        var id = rows == DEFAULT_ROWS ? "dataplane" : "dataplane-" + rows;
        var heading = rows == DEFAULT_ROWS ? "Arrow data plane (bench/run.sh)" : "Arrow data plane, %,d rows (bench/run.sh --rows %d)".formatted(rows, rows);
        var description = new StringBuilder();
        description.append("%,d rows (id int64, 8 float64 features, a 100-value string label, a timestamp), %.0f MB of snappy Parquet. "
                .formatted(rows, fileMb));
        description.append("Reader threads: ").append(THREADS).append(". A: DuckDB reader into Arrow in one process. B: a provider lab (own JVM, -Xmx256m, embedded PostgreSQL) streaming to ")
                .append("this benchmark's JVM over loopback HTTP, time to the last batch. C: the same with 2 of 11 columns, and with a filter ")
                .append("keeping about 10% of rows. D: stock EDC 0.13.0 (bench/edc-baseline, in-memory stores, stock 1 s state machine ")
                .append("waits) moving the Parquet file with HttpData-PULL through its data plane proxy, plus decoding it with the same reader ")
                .append("(A's time): time to table counts from the data request, `transfer_request_to_table` from the transfer request. ")
                .append("E: the same number of bytes over a raw loopback socket. MB are Arrow bytes received. ")
                .append("Median of ").append(runs).append(" runs after a warm-up (two for streams). B_cpu_ceiling: the throughput the measured provider and client CPU per GB allow on this machine's cores. Measured ").append(LocalDate.now()).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores (shared, noisy machine: compare ratios).");
        var after = new StringBuilder();
        notes.forEach(n -> after.append(n).append('\n'));
        report.writeSection(file, id, heading, description.toString(), after.toString());
    }
}
