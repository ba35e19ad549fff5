package org.labspace.connector.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Searches the datasets of every lab in the network, as this lab last read their catalogs.",
                "Words match titles, descriptions and keywords; exact title and keyword matches come first."})
class SearchCommand implements Runnable {

    @Mixin
    ConnectorOptions connector;
    @Parameters(paramLabel = "WORDS", arity = "0..*", description = "Words that must all match.")
    List<String> words = new ArrayList<>();
    @Option(names = "--lab", description = "Only this lab's datasets (participant id).")
    String lab;
    @Option(names = "--column", description = "Only datasets with this column.")
    String column;
    @Option(names = "--license", description = "Only datasets under this license.")
    String license;
    @Option(names = "--crawl", description = "Read every lab's catalog first (takes up to the peer time limit).")
    boolean crawl;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        var client = connector.client();
        var out = spec.commandLine().getOut();
        if (crawl) {
            var peers = client.post("/labspace/v1/federated/crawl", new ObjectMapper().createObjectNode());
            peers.forEach(p -> {
                if (p.hasNonNull("lastError")) {
                    out.println("note: " + p.path("lab").asText() + " could not be read: " + p.path("lastError").asText());
                }
            });
        }
        var query = new StringBuilder();
        add(query, "q", words.isEmpty() ? null : String.join(" ", words));
        add(query, "lab", lab);
        add(query, "column", column);
        add(query, "license", license);
        var result = client.get("/labspace/v1/federated/datasets" + (query.length() == 0 ? "" : "?" + query));
        var results = result.path("results");
        if (results.isEmpty()) {
            out.println("no datasets found" + (result.path("peers").isEmpty() ? " (no lab's catalog has been read yet; try --crawl)" : ""));
            return;
        }
        out.printf("%-14s %-22s %12s %9s  %-40s %s%n", "LAB", "DATASET", "ROWS", "MB", "TITLE", "COLUMNS");
        results.forEach(r -> out.printf("%-14s %-22s %12s %9s  %-40s %s%n", r.path("lab").asText(), r.path("id").asText(),
                r.hasNonNull("rowCount") ? String.format("%,d", r.path("rowCount").asLong()) : "?",
                r.hasNonNull("byteSize") ? String.format("%.1f", r.path("byteSize").asLong() / 1e6) : "?",
                abbreviate(r.path("title").asText(), 40), r.path("schemaSummary").asText()));
        var total = result.path("total").asInt();
        if (total > results.size()) {
            out.println("(" + results.size() + " of " + total + " shown)");
        }
    }

    private static void add(StringBuilder query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.append(query.length() == 0 ? "" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
