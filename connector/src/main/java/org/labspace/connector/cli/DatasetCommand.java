package org.labspace.connector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.labspace.connector.client.ManagementApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Registers the lab's Parquet datasets and offers them to the network (lab administrators).",
        subcommands = {DatasetCommand.Add.class, DatasetCommand.ListDatasets.class, DatasetCommand.Show.class,
                DatasetCommand.Update.class, DatasetCommand.Remove.class})
class DatasetCommand {

    /** The options that describe a dataset; on update, only those given change. */
    static class Description {
        @Option(names = "--path", paramLabel = "PATH", description = "A Parquet file, or a folder of Parquet files with one schema (Hive partition folders allowed).")
        Path path;
        @Option(names = "--title", description = "Title researchers see.")
        String title;
        @Option(names = "--description", description = "What the data is, how it was made.")
        String description;
        @Option(names = "--keyword", paramLabel = "WORD", description = "A keyword; repeatable.")
        List<String> keywords;
        @Option(names = "--license", description = "License, e.g. CC-BY-4.0.")
        String license;
        @Option(names = "--policy", paramLabel = "POLICY", description = "The Labspace policy the dataset is offered under (see 'policy list').")
        String policy;
        @Option(names = "--access-policy", paramLabel = "POLICY", description = "Instead of --policy: an EDC policy definition deciding who sees the dataset.")
        String accessPolicy;
        @Option(names = "--usage-policy", paramLabel = "POLICY", description = "Instead of --policy: an EDC policy definition deciding who may use it.")
        String usagePolicy;

        Map<String, Object> applyTo(Map<String, Object> body) {
            // the connector reads the path on its own machine, from its own working folder
            if (path != null) {
                body.put("path", path.toAbsolutePath().normalize().toString());
            }
            putIfGiven(body, "title", title);
            putIfGiven(body, "description", description);
            if (keywords != null) {
                body.put("keywords", keywords);
            }
            putIfGiven(body, "license", license);
            if (policy != null) {
                // a Labspace policy replaces the pair of EDC policies an update starts from
                body.remove("accessPolicy");
                body.remove("usagePolicy");
                body.put("policy", policy);
            }
            putIfGiven(body, "accessPolicy", accessPolicy);
            putIfGiven(body, "usagePolicy", usagePolicy);
            return body;
        }

        private static void putIfGiven(Map<String, Object> body, String key, String value) {
            if (value != null) {
                body.put(key, value);
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Registers a dataset and offers it under its policy.")
    static class Add implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Option(names = "--id", required = true, description = "Dataset id in this lab, e.g. air-quality.")
        String id;
        @Mixin
        Description description;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var body = new LinkedHashMap<String, Object>();
            body.put("id", id);
            var dataset = connector.client().registerDataset(description.applyTo(body));
            summary(spec.commandLine().getOut(), "registered", dataset);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per dataset.")
    static class ListDatasets implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Option(names = "--withdrawn", description = "Include withdrawn datasets.")
        boolean withdrawn;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var out = spec.commandLine().getOut();
            var datasets = connector.client().listDatasets(withdrawn);
            if (datasets.isEmpty()) {
                out.println("no datasets");
                return;
            }
            out.printf("%-24s %-8s %12s %10s %5s  %-30s %s%n", "DATASET", "VERSION", "ROWS", "MB", "FILES", "POLICIES (access / usage)", "TITLE");
            for (var d : datasets) {
                out.printf("%-24s %-8s %12d %10.1f %5d  %-30s %s%s%n", d.path("id").asText(), "v" + d.path("version").asInt(),
                        d.path("rowCount").asLong(), d.path("byteSize").asLong() / 1e6, d.path("fileCount").asInt(),
                        d.path("accessPolicy").asText() + " / " + d.path("usagePolicy").asText(), d.path("title").asText(),
                        d.path("offered").asBoolean() ? "" : " (withdrawn)");
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Everything recorded about a dataset, as JSON.")
    static class Show implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Parameters(paramLabel = "ID")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().println(fetch(connector, id).toPrettyString());
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Changes a dataset's description or policies and reads its files again.", "Its version goes up when the files changed."})
    static class Update implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Parameters(paramLabel = "ID")
        String id;
        @Mixin
        Description description;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var current = fetch(connector, id);
            var body = new LinkedHashMap<String, Object>();
            body.put("id", id);
            for (var field : List.of("path", "title", "description", "license", "accessPolicy", "usagePolicy")) {
                if (current.hasNonNull(field)) {
                    body.put(field, current.get(field).asText());
                }
            }
            var keywords = new ArrayList<String>();
            current.path("keywords").forEach(k -> keywords.add(k.asText()));
            body.put("keywords", keywords);
            var dataset = connector.client().updateDataset(id, description.applyTo(body));
            summary(spec.commandLine().getOut(), "updated", dataset);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Withdraws a dataset's offer from the catalog.", "Its record and the agreements that name it are kept; 'update' offers it again."})
    static class Remove implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Parameters(paramLabel = "ID")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            fetch(connector, id);
            connector.client().withdrawDataset(id);
            spec.commandLine().getOut().println("withdrew '" + id + "': no longer in the catalog; its record and agreements stay");
        }
    }

    private static JsonNode fetch(ConnectorOptions connector, String id) {
        try {
            return connector.client().getDataset(id);
        } catch (ManagementApiException e) {
            if (e.status() == 404) {
                throw new CliException("no dataset '" + id + "' in this lab");
            }
            throw e;
        }
    }

    private static void summary(PrintWriter out, String what, JsonNode d) {
        out.printf("%s '%s' v%d: %,d rows in %d file(s), %.1f MB, %d columns; offered under %s / %s%n", what, d.path("id").asText(),
                d.path("version").asInt(), d.path("rowCount").asLong(), d.path("fileCount").asInt(), d.path("byteSize").asLong() / 1e6,
                d.path("schema").size(), d.path("accessPolicy").asText(), d.path("usagePolicy").asText());
    }
}
