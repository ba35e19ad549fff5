package org.labspace.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stock EDC 0.13.0 (bench/edc-baseline) moving a file with HttpData-PULL: what a lab would run instead of Labspace.
 * The file arrives byte for byte, so decoding it afterwards costs what a local read of the same file costs.
 */
final class StockEdcBaseline {

    private StockEdcBaseline() {
    }

    /**
     * Runs bench/edc-baseline/baseline.sh {@code runs} times.
     *
     * @return the medians of {transfer request to last byte, download alone} in seconds, or null when the baseline
     *         could not run (a line in {@code notes} says why)
     */
    static double[] run(Path file, int runs, List<String> notes) throws Exception {
        var script = Path.of("bench/edc-baseline/baseline.sh");
        if (!Files.isExecutable(script)) {
            notes.add("The stock EDC baseline was not measured: " + script + " is missing.");
            return null;
        }
        var total = new ArrayList<Double>();
        var download = new ArrayList<Double>();
        for (var run = 0; run < runs; run++) {
            var process = new ProcessBuilder("bash", script.toString(), file.toAbsolutePath().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            var output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                notes.add("The stock EDC baseline failed (exit " + (process.isAlive() ? "timeout" : process.exitValue()) + "): "
                        + output.lines().reduce("", (a, b) -> b));
                return null;
            }
            for (var line : output.split("\n")) {
                var parts = line.trim().split(" ");
                if (parts.length == 2 && parts[0].equals("BASELINE_SECONDS")) {
                    total.add(Double.parseDouble(parts[1]));
                } else if (parts.length == 2 && parts[0].equals("BASELINE_DOWNLOAD_SECONDS")) {
                    download.add(Double.parseDouble(parts[1]));
                }
            }
        }
        return new double[]{median(total), median(download)};
    }

    static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
