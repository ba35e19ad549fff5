package org.labspace.connector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.labspace.policy.Templates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Writes, checks, applies and explains the lab's usage policies (policy officers). See docs/policies.md.",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Apply.class, PolicyCommand.Show.class, PolicyCommand.ListPolicies.class,
                PolicyCommand.Explain.class, PolicyCommand.TemplateList.class})
class PolicyCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A policy file, or a template with its parameters. */
    static class Source {
        @Parameters(paramLabel = "FILE", arity = "0..1", description = "The policy file (YAML or JSON).")
        Path file;
        @Option(names = "--template", paramLabel = "NAME", description = "Make the policy from a template instead (see 'policy templates').")
        String template;
        @Option(names = "--id", paramLabel = "ID", description = "With --template: the new policy's id.")
        String id;
        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "With --template: a parameter; repeatable.")
        Map<String, String> parameters;

        ObjectNode body() {
            var body = JSON.createObjectNode();
            if (template != null) {
                if (file != null) {
                    throw new CliException("give a policy FILE or --template, not both");
                }
                if (id == null) {
                    throw new CliException("--template needs --id: the id of the policy made from it");
                }
                body.put("template", template).put("id", id);
                var params = body.putObject("parameters");
                if (parameters != null) {
                    parameters.forEach(params::put);
                }
                return body;
            }
            if (file == null) {
                throw new CliException("give a policy FILE, or --template NAME --id ID");
            }
            try {
                return body.put("file", file.getFileName().toString()).put("source", Files.readString(file));
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    /** A stored policy: its summary in plain words, then the readable form. */
    static void print(PrintWriter out, JsonNode policy) {
        out.println(policy.path("summary").asText());
        out.println();
        out.print(policy.path("yaml").asText());
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Checks a policy against the connector's vocabulary and the datasets it would govern, without storing it.")
    static class Validate implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Mixin
        Source source;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var body = source.body();
            var policy = connector.call(c -> c.post("/labspace/v1/policies/validate", body));
            var out = spec.commandLine().getOut();
            out.println("valid: policy " + policy.path("id").asText() + " (" + policy.path("purposes").size() + " purposes, "
                    + policy.path("rules").size() + " rules)");
            print(out, policy);
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Validates and stores a policy (replacing one with the same id); datasets registered with --policy ID are offered under it.")
    static class Apply implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Mixin
        Source source;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var body = source.body();
            var policy = connector.call(c -> c.post("/labspace/v1/policies", body));
            var out = spec.commandLine().getOut();
            out.println("applied policy " + policy.path("id").asText() + ": " + policy.path("offers").size() + " offers"
                    + (policy.path("datasets").isEmpty() ? "" : ", governing " + policy.path("datasets").size() + " datasets"));
            print(out, policy);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A stored policy in the readable form, with what it means in plain words.")
    static class Show implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Parameters(paramLabel = "ID", description = "The policy id.")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec.commandLine().getOut(), connector.call(c -> c.get("/labspace/v1/policies/" + URLEncoder.encode(id, StandardCharsets.UTF_8))));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The lab's policies: id, rules and purposes.")
    static class ListPolicies implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var out = spec.commandLine().getOut();
            var policies = connector.call(c -> c.get("/labspace/v1/policies"));
            if (policies.isEmpty()) {
                out.println("no policies; apply one with 'policy apply FILE' or 'policy apply --template NAME --id ID'");
                return;
            }
            out.printf("%-28s %-24s %s%n", "POLICY", "RULES", "PURPOSES");
            policies.forEach(p -> out.printf("%-28s %-24s %s%n", p.path("id").asText(), join(p.path("rules")), join(p.path("purposes"))));
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Dry run: would this participant see the datasets, get an agreement for this purpose, and under which restrictions?")
    static class Explain implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Parameters(paramLabel = "POLICY", description = "The policy id.")
        String id;
        @Option(names = "--participant", required = true, description = "A participant of the network, e.g. lab-lisbon.")
        String participant;
        @Option(names = "--purpose", required = true, description = "The purpose the participant would declare, e.g. research.ai-training.")
        String purpose;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var body = JSON.createObjectNode().put("participant", participant).put("purpose", purpose);
            var explanation = connector.call(c -> c.post("/labspace/v1/policies/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/explain", body));
            var out = spec.commandLine().getOut();
            explanation.path("lines").forEach(line -> out.println(line.asText()));
        }
    }

    @Command(name = "templates", mixinStandardHelpOptions = true, description = "The ready-made policies, with their parameters.")
    static class TemplateList implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var out = spec.commandLine().getOut();
            for (var name : Templates.NAMES) {
                var parameters = Templates.parameters(name);
                out.printf("%-26s %s%s%n", name, Templates.summary(name), parameters.isEmpty() ? "" : " Parameters: " + String.join(", ", parameters) + ".");
            }
        }
    }

    private static String join(JsonNode array) {
        var parts = new java.util.ArrayList<String>();
        array.forEach(v -> parts.add(v.asText()));
        return String.join(",", parts);
    }
}
