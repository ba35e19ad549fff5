package org.labspace.connector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.labspace.connector.client.ManagementApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Instant;

@Command(name = "agreement", mixinStandardHelpOptions = true,
        description = "Lists and shows the contract agreements this lab holds, as provider or consumer; revokes those it granted.",
        subcommands = {AgreementCommand.ListAgreements.class, AgreementCommand.ShowAgreement.class, AgreementCommand.Granted.class,
                AgreementCommand.Revoke.class})
class AgreementCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per agreement: id, dataset, provider, consumer, signed.")
    static class ListAgreements implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var out = spec.commandLine().getOut();
            var agreements = connector.client().queryAgreements();
            if (agreements.isEmpty()) {
                out.println("no agreements");
                return;
            }
            out.printf("%-38s %-24s %-14s %-14s %s%n", "AGREEMENT", "DATASET", "PROVIDER", "CONSUMER", "SIGNED");
            agreements.forEach(a -> out.printf("%-38s %-24s %-14s %-14s %s%n", a.path("@id").asText(), a.path("assetId").asText(),
                    a.path("providerId").asText(), a.path("consumerId").asText(), signed(a)));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The agreement as JSON, with its policy.")
    static class ShowAgreement implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Parameters(paramLabel = "ID", description = "The agreement id (as 'agreement list' prints it).")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try {
                var agreement = connector.client().getAgreement(id);
                spec.commandLine().getOut().println(agreement.toPrettyString());
            } catch (ManagementApiException e) {
                if (e.status() == 404) {
                    throw new CliException("no agreement with id '" + id + "'");
                }
                throw e;
            }
        }
    }

    @Command(name = "granted", mixinStandardHelpOptions = true,
            description = "The agreements this lab granted as provider: consumer, dataset, purpose, expiry, transfers, state.")
    static class Granted implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @picocli.CommandLine.Option(names = "--dataset", description = "Only agreements for this dataset.")
        String dataset;
        @picocli.CommandLine.Option(names = "--consumer", description = "Only agreements held by this participant.")
        String consumer;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var query = new StringBuilder("/labspace/v1/agreements");
            var separator = '?';
            for (var filter : new String[][]{{"dataset", dataset}, {"consumer", consumer}}) {
                if (filter[1] != null) {
                    query.append(separator).append(filter[0]).append('=').append(java.net.URLEncoder.encode(filter[1], java.nio.charset.StandardCharsets.UTF_8));
                    separator = '&';
                }
            }
            var out = spec.commandLine().getOut();
            var agreements = connector.client().get(query.toString());
            if (agreements.isEmpty()) {
                out.println("no agreements granted");
                return;
            }
            out.printf("%-38s %-16s %-20s %-24s %-21s %-9s %s%n", "AGREEMENT", "CONSUMER", "DATASET", "PURPOSE", "EXPIRES", "TRANSFERS", "STATE");
            agreements.forEach(a -> out.printf("%-38s %-16s %-20s %-24s %-21s %-9s %s%n", a.path("id").asText(), a.path("consumer").asText(),
                    a.path("dataset").asText(), a.path("purpose").asText("-"), a.path("expires").asText("never"),
                    a.path("transfers").asText() + (a.path("maxTransfers").isNull() ? "" : "/" + a.path("maxTransfers").asText()), a.path("state").asText()));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes an agreement this lab granted: new transfers are refused at once, running streams stop within seconds.")
    static class Revoke implements Runnable {
        @Mixin
        ConnectorOptions connector;
        @Parameters(paramLabel = "ID", description = "The agreement id (as 'agreement granted' prints it).")
        String id;
        @picocli.CommandLine.Option(names = "--reason", required = true, description = "Why; recorded in the audit log and given to refused requests.")
        String reason;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("reason", reason);
            try {
                var revoked = connector.client().post("/labspace/v1/agreements/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8) + "/revoke", body);
                spec.commandLine().getOut().println("revoked agreement " + revoked.path("id").asText() + " of " + revoked.path("consumer").asText()
                        + " for " + revoked.path("dataset").asText() + " at " + revoked.path("revoked").asText());
            } catch (ManagementApiException e) {
                throw new CliException(e.getMessage());
            }
        }
    }

    static String signed(JsonNode agreement) {
        var seconds = agreement.path("contractSigningDate").asLong(0);
        return seconds == 0 ? "-" : Instant.ofEpochSecond(seconds).toString();
    }
}
