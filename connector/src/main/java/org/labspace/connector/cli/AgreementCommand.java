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
        description = "Lists and shows the contract agreements this lab holds, as provider or consumer.",
        subcommands = {AgreementCommand.ListAgreements.class, AgreementCommand.ShowAgreement.class})
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

    static String signed(JsonNode agreement) {
        var seconds = agreement.path("contractSigningDate").asLong(0);
        return seconds == 0 ? "-" : Instant.ofEpochSecond(seconds).toString();
    }
}
