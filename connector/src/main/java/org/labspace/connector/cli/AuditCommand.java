package org.labspace.connector.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The lab's audit log: catalog requests, negotiation decisions, transfers, streams, revocations (policy officers).")
class AuditCommand implements Runnable {

    @Mixin
    ConnectorOptions connector;
    @Option(names = "--since", paramLabel = "INSTANT", description = "From this time on, e.g. 2026-11-28T09:00:00Z.")
    String since;
    @Option(names = "--until", paramLabel = "INSTANT", description = "Before this time.")
    String until;
    @Option(names = "--kind", description = "catalog, negotiation, transfer, stream, revocation, pull or access (a researcher's request through the research API).")
    String kind;
    @Option(names = "--decision", description = "shown, granted, refused, started, ended, cut or revoked.")
    String decision;
    @Option(names = "--participant", description = "Only lines about this participant.")
    String participant;
    @Option(names = "--dataset", description = "Only lines about this dataset.")
    String dataset;
    @Option(names = "--agreement", description = "Only lines about this agreement.")
    String agreement;
    @Option(names = "--limit", defaultValue = "100", description = "At most this many lines, the latest (default: ${DEFAULT-VALUE}, at most 1000).")
    int limit;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        var query = new StringBuilder("/labspace/v1/audit?limit=").append(limit);
        for (var filter : new String[][]{{"since", since}, {"until", until}, {"kind", kind}, {"decision", decision}, {"participant", participant},
                {"dataset", dataset}, {"agreement", agreement}}) {
            if (filter[1] != null) {
                query.append('&').append(filter[0]).append('=').append(URLEncoder.encode(filter[1], StandardCharsets.UTF_8));
            }
        }
        var lines = connector.call(c -> c.get(query.toString()));
        var out = spec.commandLine().getOut();
        if (lines.isEmpty()) {
            out.println("no audit lines match");
            return;
        }
        lines.forEach(line -> out.printf("%s %-11s %-8s %-14s %-18s %s%n", line.path("at").asText(), line.path("kind").asText(),
                line.path("decision").asText(), line.path("participant").asText("-"), line.path("dataset").asText("-"), line.path("detail").asText()
                        + (line.hasNonNull("researcher") ? " [researcher " + line.path("researcher").asText() + "]" : "")));
    }
}
