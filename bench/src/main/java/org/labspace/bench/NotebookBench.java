package org.labspace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The researcher's notebook: the Python client's {@code ds.to_arrow()} of the benchmark dataset against
 * {@code pyarrow.parquet.read_table} of the same file (as if the data were local) and against stock EDC 0.13.0's
 * HttpData-PULL download followed by the same read; {@code to_pandas}' overhead; {@code iter_batches}' peak memory;
 * and the research API's {@code access} latency, fresh and with a valid agreement. The Python side is
 * bench/notebook/notebook_bench.py, run with the repository's .venv. Writes bench/results/notebook.json and its
 * section of docs/benchmarks.md.
 */
public final class NotebookBench {

    private static final int LATENCY_DATASETS = 6;
    private static final List<String> PURPOSES = List.of("research.non-commercial", "research.ai-training", "research.evaluation", "education");
    private static final String POLICY = """
            policy: bench-research
            description: every member, for research and education
            allow:
              - name: research
                purpose: [research.non-commercial, research.ai-training, research.evaluation, education]
            """;

    private final BenchReport report = new BenchReport();
    private final List<String> notes = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        long rows = 20_000_000;
        var runs = 3;
        var python = ".venv/bin/python";
        for (var i = 0; i < args.length - 1; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--python" -> python = args[i + 1];
                default -> {
                }
            }
        }
        new NotebookBench().run(rows, runs, python, Path.of("bench/work"), Path.of("docs/benchmarks.md"), Path.of("bench/results/notebook.json"));
    }

    void run(long rows, int runs, String python, Path work, Path reportFile, Path results) throws Exception {
        var file = DataPlaneBench.dataset(work, rows);
        var small = smallDataset(work);
        var fileMb = Files.size(file) / 1e6;
        System.out.printf("dataset %s: %,d rows, %.0f MB of snappy Parquet%n", file, rows, fileMb);
        JsonNode measured;
        var dir = Files.createTempDirectory("labspace-bench-notebook");
        try {
            measured = measureWithLabs(file, small, runs, python, dir);
        } finally {
            BenchFiles.deleteQuietly(dir);
        }
        // after the labs stopped: the baseline's two connectors get the machine to themselves, as ours did
        var stock = StockEdcBaseline.run(file, runs, notes);

        var local = measured.path("local_read_s").asDouble();
        var toArrow = measured.path("to_arrow_s").asDouble();
        var toArrowFresh = measured.path("to_arrow_new_transfer_s").asDouble();
        result("A_pyarrow_local_read_s", local, "s");
        result("N_to_arrow_s", toArrow, "s");
        result("N_to_arrow_MBps", fileMb / toArrow, "MB/s");
        result("N_to_arrow_with_new_transfer_s", toArrowFresh, "s");
        result("N_to_arrow_client_cpu_s", measured.path("to_arrow_cpu_s").asDouble(), "s");
        report.target("N_to_arrow_vs_local_read", toArrow / local, 1.5, toArrow / local <= 1.5);
        if (stock != null) {
            var stockToTable = stock[1] + local;
            var stockFromRequest = stock[0] + local;
            result("D_stock_edc_download_s", stock[1], "s");
            result("D_stock_edc_download_then_read_table_s", stockToTable, "s");
            result("D_stock_edc_transfer_request_to_table_s", stockFromRequest, "s");
            report.target("N_to_arrow_vs_stock_download_then_read", toArrow / stockToTable, 0.6, toArrow / stockToTable <= 0.6);
            report.target("N_to_arrow_new_transfer_vs_stock_request_to_table", toArrowFresh / stockFromRequest, 0.6, toArrowFresh / stockFromRequest <= 0.6);
        }
        var pandasOverhead = measured.path("to_pandas_s").asDouble() - toArrow;
        var pyarrowConversion = measured.path("local_to_pandas_s").asDouble();
        result("N_to_pandas_s", measured.path("to_pandas_s").asDouble(), "s");
        result("N_to_pandas_minus_to_arrow_s", pandasOverhead, "s");
        result("N_pyarrow_table_to_pandas_s", pyarrowConversion, "s");
        // medians of separate runs on a shared machine: allow a tenth for noise
        report.target("N_to_pandas_overhead_vs_pyarrow_conversion", pandasOverhead / pyarrowConversion, 1.1, pandasOverhead / pyarrowConversion <= 1.1);
        var iterMb = measured.path("iter_batches_peak_rss_mb").asDouble();
        result("N_iter_batches_rows", measured.path("iter_batches_rows").asDouble(), "rows");
        result("N_iter_batches_peak_rss_MB", iterMb, "MB");
        result("N_python_baseline_rss_MB", measured.path("python_baseline_rss_mb").asDouble(), "MB");
        report.target("N_iter_batches_peak_rss_MB", iterMb, 300, iterMb < 300);
        var fresh = measured.path("access_fresh_ms").asDouble();
        var reuse = measured.path("access_reuse_ms").asDouble();
        result("L_access_fresh_ms", fresh, "ms");
        result("L_access_fresh_samples", measured.path("access_samples").asDouble(), "accesses");
        result("L_access_cold_ms", measured.path("access_cold_ms").asDouble(), "ms");
        result("L_access_agreement_reused_new_transfer_ms", measured.path("access_new_transfer_ms").asDouble(), "ms");
        result("L_access_reuse_ms", reuse, "ms");
        report.target("L_access_fresh_ms", fresh, 1000, fresh < 1000);
        report.target("L_access_with_valid_agreement_ms", reuse, 150, reuse < 150);

        report.writeJson(results);
        var after = new StringBuilder("\n");
        notes.forEach(n -> after.append(n).append('\n'));
        report.writeSection(reportFile, "notebook", "Notebook: Python client against local read and stock EDC",
                ("`bench/run.sh --suite notebook --runs %d` on %,d rows (%.0f MB of snappy Parquet), medians of %d runs after warm-ups (two for streams), "
                        + "on this machine's %d cores shared by both labs and the client. A: `pyarrow.parquet.read_table` of the file. "
                        + "N: `ds.to_arrow()` from the researcher's lab (research API `access`, then the stream straight from the provider), "
                        + "with the researcher's running transfer reused, and with a new transfer each time (`access(new_transfer=True)` first). "
                        + "D: stock EDC 0.13.0 (bench/edc-baseline) moving the file with HttpData-PULL, then A's read. "
                        + "`iter_batches` runs in its own Python process; its peak RSS includes the interpreter and pyarrow (baseline shown). "
                        + "L: `lab.access()` from Python, after the first dataset's accesses (warm-up): fresh = a dataset and purpose with no "
                        + "agreement yet, right after `lab.dataset()` as in a notebook (negotiation from the offers just shown, transfer); "
                        + "cold = the first access to a dataset not looked at (plus its dataset request); reuse = the same again (agreement "
                        + "and running transfer reused); new transfer = agreement reused, transfer started.")
                        .formatted(runs, rows, fileMb, runs, Runtime.getRuntime().availableProcessors()), after.toString());
    }

    private void result(String name, double value, String unit) {
        report.result(name, value, unit);
    }

    private JsonNode measureWithLabs(Path file, Path small, int runs, String python, Path dir) throws Exception {
        try (var labs = BenchLabs.start(dir, Map.of("labspace.dataplane.threads", "1"))) {
            var provider = labs.provider();
            var consumer = labs.consumer();
            var p = provider.management();
            p.post("/labspace/v1/policies", json.createObjectNode().put("file", "bench-research.yaml").put("source", POLICY));
            p.registerDataset(dataset("bench-data", file));
            var latency = new ArrayList<String>();
            for (var i = 1; i <= LATENCY_DATASETS; i++) {
                p.registerDataset(dataset("latency-" + i, small));
                latency.add("bench-provider/latency-" + i);
            }
            var c = consumer.management();
            var key = c.post("/labspace/v1/researchers", json.createObjectNode().put("name", "bench")).path("key").asText();
            c.post("/labspace/v1/federated/crawl", json.createObjectNode());
            var url = "http://127.0.0.1:" + consumer.settings().get("web.http.research.port") + "/research";
            var command = List.of(python, "bench/notebook/notebook_bench.py", "--url", url, "--key", key, "--file", file.toAbsolutePath().toString(),
                    "--dataset", "bench-provider/bench-data", "--runs", String.valueOf(runs), "--latency", String.join(",", latency),
                    "--purposes", String.join(",", PURPOSES));
            var process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            var output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("bench/notebook/notebook_bench.py failed: " + output);
            }
            var lines = output.strip().split("\n");
            for (var i = 0; i < lines.length - 1; i++) {
                System.out.println(lines[i]);
            }
            return json.readTree(lines[lines.length - 1]);
        }
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

    /** 10,000 rows for the latency runs: access time, not stream time. */
    static Path smallDataset(Path work) throws Exception {
        var file = work.resolve("latency-10000.parquet");
        if (!Files.exists(file)) {
            Files.createDirectories(work);
            var partial = work.resolve(file.getFileName() + ".partial");
            try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
                statement.execute("COPY (SELECT i::BIGINT AS id, (hash(i) % 1000) / 1000.0 AS value FROM range(10000) t(i)) TO '"
                        + partial + "' (FORMAT parquet)");
            }
            Files.move(partial, file);
        }
        return file;
    }
}
