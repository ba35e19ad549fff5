package org.labspace.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.labspace.catalog.DatasetSummary;
import org.labspace.catalog.FederatedIndex;
import org.labspace.catalog.SearchQuery;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;
import org.labspace.connector.launch.LocalLab;
import org.labspace.connector.launch.LocalNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The catalog at scale: a lab with N registered datasets (10,000 by default) and a second lab reading its
 * catalog; and the federated search over 20 labs x 1,000 datasets. Prints {@code RESULT} and {@code TARGET}
 * lines, and writes them to bench/results/catalog.json and docs/benchmarks.md.
 */
public final class CatalogBench {

    private static final String API_KEY = "bench-management-key-0123456789";

    private final BenchReport report = new BenchReport();

    public static void main(String[] args) throws Exception {
        var datasets = 10_000;
        for (var i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--datasets")) {
                datasets = Integer.parseInt(args[i + 1]);
            }
        }
        new CatalogBench().run(datasets, Path.of("docs/benchmarks.md"), Path.of("bench/results/catalog.json"));
    }

    void run(int datasets, Path report, Path results) throws Exception {
        search();
        var work = Files.createTempDirectory("labspace-bench-catalog");
        try {
            labs(datasets, work);
        } finally {
            BenchFiles.deleteQuietly(work);
        }
        this.report.writeJson(results);
        writeReport(report, datasets);
    }

    /** Federated search over 20 labs x 1,000 datasets, in process. */
    private void search() throws IOException {
        var dir = Files.createTempDirectory("labspace-bench-search");
        try {
            var index = new FederatedIndex(dir.resolve("federated.json"));
            var words = List.of("air", "energy", "health", "mobility", "climate", "genomics", "text", "images", "speech", "traffic");
            for (var lab = 0; lab < 20; lab++) {
                var summaries = new ArrayList<DatasetSummary>();
                for (var d = 0; d < 1000; d++) {
                    var topic = words.get((lab * 7 + d) % words.size());
                    summaries.add(new DatasetSummary("lab-" + lab, "ds-" + d, topic + " dataset " + d, "Synthetic " + topic + " measurements number " + d,
                            List.of(topic, "sample"), d % 3 == 0 ? "CC0-1.0" : "CC-BY-4.0", 1000L * d, 4096L * d, 1, "1", Instant.now().toString(),
                            List.of(new DatasetSummary.Column("id", "Int(64, true)"), new DatasetSummary.Column(topic + "_value", "FloatingPoint(DOUBLE)")),
                            List.of("offer-" + d), "members-only", "non-commercial"));
                }
                index.succeeded("lab-" + lab, summaries, Instant.now());
            }
            var queries = List.of(new SearchQuery("air quality", null, null, null), new SearchQuery("energy", null, null, "CC0-1.0"),
                    new SearchQuery(null, null, "traffic_value", null), new SearchQuery("dataset 42", "lab-3", null, null));
            for (var warm = 0; warm < 200; warm++) {
                index.search(queries.get(warm % queries.size()));
            }
            var millis = new ArrayList<Double>();
            for (var i = 0; i < 400; i++) {
                var started = System.nanoTime();
                index.search(queries.get(i % queries.size()));
                millis.add((System.nanoTime() - started) / 1e6);
            }
            var median = median(millis);
            result("search_20x1000_median", median, "ms");
            target("search_20x1000_median_ms", median, 50, median <= 50);
        } finally {
            BenchFiles.deleteQuietly(dir);
        }
    }

    private void labs(int datasets, Path work) throws Exception {
        var file = work.resolve("data/one.parquet");
        Files.createDirectories(file.getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT range AS id, range / 2.0 AS value, 'x' AS label FROM range(1000)) TO '" + file + "' (FORMAT parquet)");
        }
        var network = new LocalNetwork(work.resolve("network"), "bench-network");
        var providerConfig = network.lab("bench-provider", work.resolve("provider"), API_KEY, Map.of());
        var consumerConfig = network.lab("bench-consumer", work.resolve("consumer"), API_KEY, Map.of(
                "labspace.catalog.crawl-interval", "PT1H", "labspace.catalog.peer-timeout", "PT10M", "edc.http.client.timeout.read", "600"));
        network.publish();
        try (var provider = start("bench-provider", work, providerConfig); var consumer = start("bench-consumer", work, consumerConfig)) {
            var p = provider.management();
            p.createPolicy("members-only", p.emptyPolicy());
            p.createPolicy("non-commercial", p.emptyPolicy());

            var firstHundred = register(p, file, 0, 100);
            System.out.println("registered 100 datasets; median " + median(firstHundred) + " ms; registering up to " + datasets + " ...");
            register(p, file, 100, datasets - 100);
            var lastHundred = register(p, file, datasets, 100);
            var a = median(firstHundred);
            var b = median(lastHundred);
            result("register_median_first_100", a, "ms");
            result("register_median_after_" + datasets, b, "ms");
            target("register_after_" + datasets + "_vs_empty_ratio", b / a, 2.0, b / a <= 2.0);

            var total = datasets + 100;
            var c = consumer.management();
            c.requestCatalog(provider.protocolUrl().toString(), "bench-provider", 50); // warm both JVMs
            var started = System.nanoTime();
            var first = c.requestCatalog(provider.protocolUrl().toString(), "bench-provider", total);
            var cold = (System.nanoTime() - started) / 1e6;
            System.out.println("catalog holds " + ManagementClient.datasets(first).size() + " datasets");
            var warm = median(catalogRequests(c, provider, total, 5));
            result("dsp_catalog_all_" + total + "_first", cold, "ms");
            result("dsp_catalog_all_" + total + "_median", warm, "ms");
            target("dsp_catalog_all_" + total + "_ms", warm, 2000, warm <= 2000);

            started = System.nanoTime();
            c.post("/labspace/v1/federated/crawl", new ObjectMapper().createObjectNode());
            result("federated_crawl_" + total, (System.nanoTime() - started) / 1e6, "ms");
            var httpSearch = new ArrayList<Double>();
            for (var i = 0; i < 50; i++) {
                var t = System.nanoTime();
                c.get("/labspace/v1/federated/datasets?q=bench+dataset+" + i + "&limit=10");
                httpSearch.add((System.nanoTime() - t) / 1e6);
            }
            result("search_http_" + total + "_median", median(httpSearch), "ms");

            // baseline: the same lab restarted with EDC compacting every reply whole
            provider.close();
            var baselineConfig = new LinkedHashMap<>(providerConfig);
            baselineConfig.put("labspace.catalog.reply-cache-mb", "0");
            try (var baseline = start("bench-provider", work, baselineConfig)) {
                c.requestCatalog(baseline.protocolUrl().toString(), "bench-provider", 50);
                var edc = median(catalogRequests(c, baseline, total, 3));
                result("dsp_catalog_all_" + total + "_edc_generic_median", edc, "ms");
                result("dsp_catalog_edc_generic_vs_labspace_first_ratio", edc / cold, "x");
                result("dsp_catalog_edc_generic_vs_labspace_repeated_ratio", edc / warm, "x");
            }
        }
    }

    private static List<Double> catalogRequests(ManagementClient consumer, LabProcess provider, int total, int runs) {
        var millis = new ArrayList<Double>();
        for (var run = 0; run < runs; run++) {
            var started = System.nanoTime();
            var catalog = consumer.requestCatalog(provider.protocolUrl().toString(), "bench-provider", total);
            millis.add((System.nanoTime() - started) / 1e6);
            if (ManagementClient.datasets(catalog).size() != total) {
                throw new IllegalStateException("catalog holds " + ManagementClient.datasets(catalog).size() + " datasets, not " + total);
            }
        }
        return millis;
    }

    private static List<Double> register(ManagementClient lab, Path file, int from, int count) throws InterruptedException {
        var millis = java.util.Collections.synchronizedList(new ArrayList<Double>());
        var next = new AtomicInteger(from);
        var pool = Executors.newFixedThreadPool(2);
        for (var t = 0; t < 2; t++) {
            pool.submit(() -> {
                for (var i = next.getAndIncrement(); i < from + count; i = next.getAndIncrement()) {
                    var body = new LinkedHashMap<String, Object>();
                    body.put("id", "bench-" + i);
                    body.put("path", file.toString());
                    body.put("title", "bench dataset " + i);
                    body.put("keywords", List.of("bench", "k" + (i % 100)));
                    body.put("license", "CC-BY-4.0");
                    body.put("accessPolicy", "members-only");
                    body.put("usagePolicy", "non-commercial");
                    var started = System.nanoTime();
                    lab.registerDataset(body);
                    millis.add((System.nanoTime() - started) / 1e6);
                    if ((i + 1) % 1000 == 0) {
                        System.out.println("  " + (i + 1) + " registered");
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.HOURS);
        if (millis.size() != count) {
            throw new IllegalStateException("only " + millis.size() + " of " + count + " registrations succeeded");
        }
        return millis;
    }

    private static LabProcess start(String name, Path dir, Map<String, String> config) {
        var file = LocalLab.write(dir.resolve(name + ".properties"), config);
        return LabProcess.of(name, file, Map.of(), dir.resolve(name + ".log")).start(Duration.ofSeconds(180));
    }

    private void result(String name, double value, String unit) {
        report.result(name, value, unit);
    }

    private void target(String name, double measured, double bound, boolean pass) {
        report.target(name, measured, bound, pass);
    }

    private void writeReport(Path file, int datasets) throws IOException {
        var description = new StringBuilder().append("One provider lab with ").append(datasets + 100).append(" registered datasets (all reading one 1,000-row Parquet file, ")
                .append("registered through the Management API by 2 client threads), one consumer lab on loopback; federated search over ")
                .append("20 labs x 1,000 synthetic datasets in process. `dsp_catalog_all_*_first`: the first full catalog request after ")
                .append("start (reply cache empty); `*_median`: 5 repeated requests; `*_edc_generic_median`: the same lab restarted with ")
                .append("`labspace.catalog.reply-cache-mb=0` (EDC compacts every reply), 3 requests. Medians. Measured ").append(LocalDate.now())
                .append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" cores (shared, noisy machine).");
        report.writeSection(file, "catalog", "Catalog at scale (bench/run.sh --suite catalog)", description.toString(), "");
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
