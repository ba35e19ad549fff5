package org.labspace.samples;

import com.fasterxml.jackson.databind.JsonNode;
import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The sample network: lab-madrid publishes a dataset, lab-lisbon finds it in madrid's catalog and negotiates a
 * contract for it over the Dataspace Protocol. Each lab is its own connector process with its own embedded
 * PostgreSQL; what they store survives this program (run it twice and the second run finds the first's agreements).
 * <p>
 * Until the catalog and data plane issues land, the dataset is registered as a plain EDC asset.
 */
public final class IberianNetwork {

    static final String DATASET = "air-quality-madrid";
    static final String POLICY = "open-research";
    static final String OFFER = "air-quality-madrid-offer";

    private final PrintStream out;

    public IberianNetwork(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        var sampleDir = Path.of(args.length > 0 ? args[0] : "samples/iberian-network");
        var keepRunning = List.of(args).contains("--keep-running");
        var network = new IberianNetwork(System.out);
        var madrid = LabProcess.of("lab-madrid", sampleDir.resolve("lab-madrid.properties"), Map.of(), sampleDir.resolve("data/logs/lab-madrid.log"));
        var lisbon = LabProcess.of("lab-lisbon", sampleDir.resolve("lab-lisbon.properties"), Map.of(), sampleDir.resolve("data/logs/lab-lisbon.log"));
        var exit = 0;
        try {
            network.run(madrid, lisbon);
            if (keepRunning) {
                network.out.printf("%nBoth labs keep running (--keep-running). Try:%n  bin/labspace agreement list --config %s%nStop them with Ctrl-C.%n",
                        sampleDir.resolve("lab-lisbon.properties"));
                Thread.currentThread().join();
            }
        } catch (RuntimeException e) {
            System.err.println("sample failed: " + e.getMessage());
            exit = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            network.out.println("Stopping both labs; their state stays in " + sampleDir.resolve("data") + " and survives restarts.");
            madrid.close();
            lisbon.close();
        }
        System.exit(exit);
    }

    /** Runs the story against two (not yet started) labs; returns the agreement id both hold. */
    public String run(LabProcess provider, LabProcess consumer) {
        out.println("Labspace sample: the Iberian AI lab network, two labs on this machine");
        step(1, "starting " + provider.name());
        start(provider);
        step(2, "starting " + consumer.name());
        start(consumer);

        var madrid = provider.management();
        var lisbon = consumer.management();

        step(3, provider.name() + " publishes dataset '" + DATASET + "' under policy '" + POLICY + "'");
        publish(madrid);

        step(4, consumer.name() + " asks " + provider.name() + " for its catalog over DSP 2025-1");
        var catalog = lisbon.requestCatalog(provider.protocolUrl().toString(), provider.participantId());
        var dataset = ManagementClient.datasets(catalog).stream()
                .filter(d -> DATASET.equals(d.path("@id").asText()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(provider.name() + "'s catalog does not offer " + DATASET));
        var offerId = ManagementClient.firstOfferId(dataset);
        out.printf("      %d dataset(s) offered; %s: \"%s\"%n", ManagementClient.datasets(catalog).size(), DATASET, dataset.path("name").asText(dataset.path("edc:name").asText("")));

        step(5, consumer.name() + " negotiates a contract for " + DATASET);
        var started = System.nanoTime();
        var negotiationId = lisbon.negotiate(provider.protocolUrl().toString(), provider.participantId(), offerId, DATASET);
        var negotiation = lisbon.awaitNegotiation(negotiationId, Duration.ofSeconds(60));
        var millis = (System.nanoTime() - started) / 1_000_000;
        if (!"FINALIZED".equals(negotiation.path("state").asText())) {
            throw new IllegalStateException("negotiation ended " + negotiation.path("state").asText() + ": " + negotiation.path("errorDetail").asText());
        }
        var consumerAgreement = lisbon.getAgreement(negotiation.path("contractAgreementId").asText());
        out.printf("      FINALIZED in %d ms; agreement %s%n", millis, consumerAgreement.path("agreementId").asText());

        step(6, "both labs hold the agreement");
        var providerAgreement = findAgreement(madrid, consumerAgreement);
        out.printf("      %s (provider): %s for %s, consumer %s%n", provider.name(), providerAgreement.path("@id").asText(),
                providerAgreement.path("assetId").asText(), providerAgreement.path("consumerId").asText());
        out.printf("      %s (consumer): %s for %s, provider %s%n", consumer.name(), consumerAgreement.path("@id").asText(),
                consumerAgreement.path("assetId").asText(), consumerAgreement.path("providerId").asText());
        out.printf("      %s now holds %d agreement(s) in total%n", consumer.name(), lisbon.queryAgreements().size());
        return consumerAgreement.path("@id").asText();
    }

    private void start(LabProcess lab) {
        if (isAnswering(lab)) {
            throw new IllegalStateException(lab.name() + " is already running at " + lab.managementUrl() + ": stop it first");
        }
        var started = System.nanoTime();
        lab.start(Duration.ofSeconds(180));
        out.printf("      ready in %.1f s; management %s, DSP %s (log: %s)%n", (System.nanoTime() - started) / 1e9,
                lab.managementUrl(), lab.protocolUrl(), lab.logFile());
    }

    private static boolean isAnswering(LabProcess lab) {
        try {
            lab.management().queryAssets();
            return true;
        } catch (ManagementApiException e) {
            return e.status() != 0;
        }
    }

    /** Idempotent: a second run finds what the first one published. */
    private void publish(ManagementClient madrid) {
        if (exists(() -> madrid.getAsset(DATASET))) {
            out.println("      already published by an earlier run (kept in lab-madrid's database)");
            return;
        }
        madrid.createAsset(DATASET,
                Map.of("name", "Madrid air quality sensors (synthetic sample)",
                        "description", "Hourly NO2, PM2.5 and PM10 readings; generated, no real measurements",
                        "contenttype", "application/vnd.apache.parquet"),
                // a placeholder address: data transfer arrives with the Arrow data plane
                Map.of("type", "HttpData", "baseUrl", "https://data.lab-madrid.example/air-quality"));
        madrid.createPolicy(POLICY, madrid.emptyPolicy());
        madrid.createContractDefinition(OFFER, POLICY, POLICY, List.of(DATASET));
        out.println("      asset, policy and contract definition created");
    }

    private static JsonNode findAgreement(ManagementClient provider, JsonNode consumerAgreement) {
        // each side stores the agreement under its own @id; agreementId is the one they share
        var shared = consumerAgreement.path("agreementId").asText();
        for (var agreement : provider.queryAgreements()) {
            if (shared.equals(agreement.path("agreementId").asText())) {
                return agreement;
            }
        }
        throw new IllegalStateException("the provider has no agreement " + shared);
    }

    private static boolean exists(java.util.function.Supplier<JsonNode> lookup) {
        try {
            lookup.get();
            return true;
        } catch (ManagementApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void step(int number, String what) {
        out.printf("[%d/6] %s%n", number, what);
    }
}
