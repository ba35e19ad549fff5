package org.labspace.connector.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

@Command(name = "researcher", mixinStandardHelpOptions = true,
        description = "Issues and revokes the keys the lab's researchers use for the research API (lab administrators).",
        subcommands = {ResearcherCommand.Add.class, ResearcherCommand.ListResearchers.class, ResearcherCommand.Revoke.class})
class ResearcherCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Registers a researcher and prints their key alone on the last line, once: it is stored only as a digest.")
    static class Add implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Parameters(paramLabel = "NAME", description = "The researcher's name, recorded in the audit log, e.g. ana.silva.")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var body = new ObjectMapper().createObjectNode().put("name", name);
            var added = connector.call(c -> c.post("/labspace/v1/researchers", body));
            var out = spec.commandLine().getOut();
            out.println("added researcher " + added.path("name").asText() + "; their key for the research API (shown once, keep it secret):");
            out.println(added.path("key").asText());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The lab's researchers: name, since when, revoked or not.")
    static class ListResearchers implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var out = spec.commandLine().getOut();
            var researchers = connector.call(c -> c.get("/labspace/v1/researchers"));
            if (researchers.isEmpty()) {
                out.println("no researchers; add one with 'researcher add NAME'");
                return;
            }
            out.printf("%-32s %-28s %s%n", "RESEARCHER", "ADDED", "KEY");
            researchers.forEach(r -> out.printf("%-32s %-28s %s%n", r.path("name").asText(), r.path("created").asText(),
                    r.path("active").asBoolean() ? "active" : "revoked " + r.path("revoked").asText()));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a researcher's key at once.")
    static class Revoke implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Parameters(paramLabel = "NAME", description = "The researcher's name.")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var revoked = connector.call(c -> c.delete("/labspace/v1/researchers/" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
            spec.commandLine().getOut().println("revoked the key of " + revoked.path("name").asText() + " at " + revoked.path("revoked").asText());
        }
    }
}
