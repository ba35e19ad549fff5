package org.labspace.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output every benchmark harness shares: {@code RESULT name value unit} and
 * {@code TARGET name measured bound PASS|FAIL} lines on stdout, the same as JSON, and a section of
 * docs/benchmarks.md between {@code <!-- id:start -->} and {@code <!-- id:end -->}, replaced on each run.
 */
final class BenchReport {

    private final List<String> lines = new ArrayList<>();
    private final Map<String, Object> json = new LinkedHashMap<>();

    void result(String name, double value, String unit) {
        var line = "RESULT %s %.1f %s".formatted(name, value, unit);
        System.out.println(line);
        lines.add(line);
        json.put(name, Map.of("value", Math.round(value * 10) / 10.0, "unit", unit));
    }

    void target(String name, double measured, double bound, boolean pass) {
        var line = "TARGET %s %.2f %.2f %s".formatted(name, measured, bound, pass ? "PASS" : "FAIL");
        System.out.println(line);
        lines.add(line);
        json.put("target " + name, Map.of("measured", Math.round(measured * 100) / 100.0, "bound", bound, "pass", pass));
    }

    void writeJson(Path results) throws IOException {
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }

    /**
     * Writes the section {@code id}: a heading, what was measured, the lines in a code block, then {@code after}
     * (may be empty). Text outside the markers, such as hand-written notes, is kept.
     */
    void writeSection(Path report, String id, String heading, String description, String after) throws IOException {
        var start = "<!-- " + id + ":start -->";
        var end = "<!-- " + id + ":end -->";
        var section = new StringBuilder(start).append('\n').append("## ").append(heading).append("\n\n")
                .append(description).append("\n\n```\n");
        lines.forEach(l -> section.append(l).append('\n'));
        section.append("```\n").append(after).append(end).append('\n');
        var text = Files.exists(report) ? Files.readString(report) : "# Benchmarks\n\n";
        var from = text.indexOf(start);
        var to = text.indexOf(end);
        text = from >= 0 && to > from ? text.substring(0, from) + section + text.substring(to + end.length() + 1) : text + "\n" + section;
        Files.writeString(report, text);
    }
}
