package org.labspace.samples;

import com.fasterxml.jackson.databind.JsonNode;
import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;

import org.apache.arrow.memory.RootAllocator;
import org.labspace.dataplane.client.ArrowStreamClient;
import org.labspace.dataplane.client.StreamQuery;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The sample network: lab-madrid and lab-lisbon register their Parquet datasets, a lisbon researcher finds madrid's
 * air quality data by searching the network, lisbon negotiates a contract for it over the Dataspace Protocol and
 * pulls it from madrid's data plane as Arrow record batches.
 * Each lab is its own connector process with its own embedded PostgreSQL; what they store survives this program
 * (run it twice and the second run finds the first's datasets and agreements).
 */
public final class IberianNetwork {

    static final String DATASET = "air-quality";
    static final String ACCESS_POLICY = "members-only";
    static final String USAGE_POLICY = "non-commercial";
    /** The contract definition dataset registration makes for the policy pair. */
    static final String OFFER = "labspace-offer." + ACCESS_POLICY + "." + USAGE_POLICY;
    private static final int STEPS = 8;

    private final PrintStream out;
    private final Path datasets;

    /**
     * @param datasets folder where the synthetic datasets are generated (once) and read by the labs
     */
    public IberianNetwork(PrintStream out, Path datasets) {
        this.out = out;
        this.datasets = datasets.toAbsolutePath().normalize();
    }

    public static void main(String[] args) {
        var sampleDir = Path.of(args.length > 0 ? args[0] : "samples/iberian-network");
        var keepRunning = List.of(args).contains("--keep-running");
        var network = new IberianNetwork(System.out, sampleDir.resolve("data/datasets"));
        var madrid = LabProcess.of("lab-madrid", sampleDir.resolve("lab-madrid.properties"), Map.of(), sampleDir.resolve("data/logs/lab-madrid.log"));
        var lisbon = LabProcess.of("lab-lisbon", sampleDir.resolve("lab-lisbon.properties"), Map.of(), sampleDir.resolve("data/logs/lab-lisbon.log"));
        var exit = 0;
        try {
            network.run(madrid, lisbon);
            if (keepRunning) {
                network.out.printf("%nBoth labs keep running (--keep-running). Try:%n  bin/labspace search air --config %s%n  bin/labspace dataset list --config %s%nStop them with Ctrl-C.%n",
                        sampleDir.resolve("lab-lisbon.properties"), sampleDir.resolve("lab-madrid.properties"));
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

    /** Runs the story against two (not yet started) labs; returns the consumer's agreement id. */
    public String run(LabProcess provider, LabProcess consumer) {
        out.println("Labspace sample: the Iberian AI lab network, two labs on this machine");
        step(1, "starting " + provider.name());
        start(provider);
        step(2, "starting " + consumer.name());
        start(consumer);

        var madrid = provider.management();
        var lisbon = consumer.management();

        step(3, provider.name() + "'s administrator registers its datasets (synthetic data, generated once into " + datasets + ")");
        register(madrid, "air-quality", SampleData.airQuality(datasets), "Madrid air quality sensors (synthetic)",
                "Hourly PM2.5, PM10 and NO2 at 20 stations, 2023-2024; generated, no real measurements", List.of("air", "pollution", "spain"), "CC-BY-4.0");
        register(madrid, "clinical-sandbox", SampleData.clinical(datasets), "Clinical sandbox (synthetic patients)",
                "5,000 synthetic patients with diagnoses; the personal-data columns are fake", List.of("health", "clinical"), "restricted");

        step(4, consumer.name() + "'s administrator registers its datasets");
        register(lisbon, "energy-grid", SampleData.energyGrid(datasets), "Portuguese energy grid load (synthetic)",
                "Hourly load and frequency at 40 substations, 2024", List.of("energy", "grid", "portugal"), "CC-BY-4.0");
        register(lisbon, "solar-irradiance", SampleData.solar(datasets), "Solar irradiance in Portugal (synthetic)",
                "Daily global horizontal irradiance at 25 sites, 2023-2024", List.of("energy", "solar", "portugal"), "CC-BY-4.0");

        step(5, "a " + consumer.name() + " researcher searches the network: bin/labspace search air --column pm25");
        lisbon.post("/labspace/v1/federated/crawl", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode());
        var byKeyword = lisbon.get("/labspace/v1/federated/datasets?q=air");
        var byColumn = lisbon.get("/labspace/v1/federated/datasets?column=pm25");
        byKeyword.path("results").forEach(r -> out.printf("      'air': %s/%s, \"%s\", %,d rows, %s%n", r.path("lab").asText(), r.path("id").asText(),
                r.path("title").asText(), r.path("rowCount").asLong(), r.path("schemaSummary").asText()));
        out.printf("      column 'pm25': %d dataset(s)%n", byColumn.path("results").size());
        if (!containsDataset(byKeyword, provider.participantId(), DATASET) || !containsDataset(byColumn, provider.participantId(), DATASET)) {
            throw new IllegalStateException("the search did not find " + provider.participantId() + "/" + DATASET + ": " + byKeyword.path("peers"));
        }

        step(6, consumer.name() + " negotiates a contract for " + DATASET + " over DSP 2025-1");
        var catalog = lisbon.requestCatalog(provider.protocolUrl().toString(), provider.participantId());
        var dataset = ManagementClient.datasets(catalog).stream()
                .filter(d -> DATASET.equals(d.path("@id").asText()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(provider.name() + "'s catalog does not offer " + DATASET));
        var offerId = ManagementClient.firstOfferId(dataset);
        var started = System.nanoTime();
        var negotiationId = lisbon.negotiate(provider.protocolUrl().toString(), provider.participantId(), offerId, DATASET);
        var negotiation = lisbon.awaitNegotiation(negotiationId, Duration.ofSeconds(60));
        var millis = (System.nanoTime() - started) / 1_000_000;
        if (!"FINALIZED".equals(negotiation.path("state").asText())) {
            throw new IllegalStateException("negotiation ended " + negotiation.path("state").asText() + ": " + negotiation.path("errorDetail").asText());
        }
        var consumerAgreement = lisbon.getAgreement(negotiation.path("contractAgreementId").asText());
        out.printf("      FINALIZED in %d ms; agreement %s%n", millis, consumerAgreement.path("agreementId").asText());

        step(7, "both labs hold the agreement");
        var providerAgreement = findAgreement(madrid, consumerAgreement);
        out.printf("      %s (provider): %s for %s, consumer %s%n", provider.name(), providerAgreement.path("@id").asText(),
                providerAgreement.path("assetId").asText(), providerAgreement.path("consumerId").asText());
        out.printf("      %s (consumer): %s for %s, provider %s%n", consumer.name(), consumerAgreement.path("@id").asText(),
                consumerAgreement.path("assetId").asText(), consumerAgreement.path("providerId").asText());
        out.printf("      %s now holds %d agreement(s) in total%n", consumer.name(), lisbon.queryAgreements().size());

        step(8, consumer.name() + " pulls " + DATASET + " from " + provider.name() + "'s data plane as Arrow record batches");
        pull(lisbon, provider, negotiation.path("contractAgreementId").asText());
        return consumerAgreement.path("@id").asText();
    }

    /** Transfer (ArrowStream-PULL), then the stream, checked row for row against madrid's files. */
    private void pull(ManagementClient lisbon, LabProcess provider, String agreementId) {
        var started = System.nanoTime();
        var transferId = lisbon.startTransfer(provider.protocolUrl().toString(), agreementId, ManagementClient.ARROW_PULL);
        var endpoint = lisbon.awaitTransferEndpoint(transferId, Duration.ofSeconds(60));
        var ready = (System.nanoTime() - started) / 1_000_000;
        var client = new ArrowStreamClient(URI.create(endpoint.path("endpoint").asText()), endpoint.path("token").asText(), Duration.ofSeconds(60), 3);
        var received = new RowDigest();
        var streamStart = System.nanoTime();
        ArrowStreamClient.ReadResult result;
        try (var allocator = new RootAllocator()) {
            result = client.read(StreamQuery.ALL, allocator, received::add);
        }
        var seconds = (System.nanoTime() - streamStart) / 1e9;
        out.printf("      transfer %s started, endpoint ready in %d ms; %,d rows in %d batches in %.2f s (%s)%n", transferId, ready,
                result.rows(), result.batches(), seconds, result.schema().getFields().stream().map(f -> f.getName()).toList());
        var source = RowDigest.of(SampleData.airQuality(datasets));
        if (!received.sameRows(source)) {
            throw new IllegalStateException("the rows received differ from " + provider.name() + "'s files: " + received + " vs " + source);
        }
        out.printf("      rows identical to %s's files: %,d of %,d%n", provider.name(), received.rows(), source.rows());
    }

    private static boolean containsDataset(JsonNode search, String lab, String id) {
        for (var result : search.path("results")) {
            if (lab.equals(result.path("lab").asText()) && id.equals(result.path("id").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Idempotent: a second run updates the datasets, whose version stays while the files are the same. */
    private void register(ManagementClient lab, String id, Path path, String title, String description, List<String> keywords, String license) {
        for (var policy : List.of(ACCESS_POLICY, USAGE_POLICY)) {
            if (!exists(() -> lab.get("/v3/policydefinitions/" + policy))) {
                lab.createPolicy(policy, lab.emptyPolicy());
            }
        }
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("id", id);
        body.put("path", path.toString());
        body.put("title", title);
        body.put("description", description);
        body.put("keywords", keywords);
        body.put("license", license);
        body.put("accessPolicy", ACCESS_POLICY);
        body.put("usagePolicy", USAGE_POLICY);
        var existed = exists(() -> lab.getDataset(id));
        var dataset = existed ? lab.updateDataset(id, body) : lab.registerDataset(body);
        out.printf("      %s %s v%d: %,d rows in %d file(s), %d columns (bin/labspace dataset add --id %s --path ...)%n",
                existed ? "kept" : "registered", id, dataset.path("version").asInt(), dataset.path("rowCount").asLong(),
                dataset.path("fileCount").asInt(), dataset.path("schema").size(), id);
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
        out.printf("[%d/%d] %s%n", number, STEPS, what);
    }
}
