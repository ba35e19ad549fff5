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

/**
 * The two-lab flow that {@link TwoLabSystemTest} drives through the Management API (the sample itself is
 * samples/iberian-network/run.sh, driven through the command line and the Python client): lab-madrid and lab-lisbon apply their usage policies and register their Parquet datasets under
 * them, a lisbon researcher finds madrid's air quality data by searching the network, lisbon negotiates a contract
 * for it over the Dataspace Protocol and pulls it from madrid's data plane as Arrow record batches, then pulls
 * madrid's clinical sandbox with its personal-data columns masked; madrid's request for lisbon's Portugal-only data
 * is refused, with the reason.
 * Each lab is its own connector process with its own embedded PostgreSQL; what they store survives this program
 * (run it twice and the second run finds the first's datasets and agreements).
 */
public final class IberianNetwork {

    static final String DATASET = "air-quality";
    static final String CLINICAL = "clinical-sandbox";
    static final String PURPOSE = "research.non-commercial";
    /** The policies each lab applies, from the sample's policies folder. */
    static final List<String> MADRID_POLICIES = List.of("members-research", "clinical-iberian");
    static final List<String> LISBON_POLICIES = List.of("energy-attribution", "portugal-only");
    private static final int STEPS = 10;

    private final PrintStream out;
    private final Path datasets;
    private final Path policies;

    /**
     * @param datasets folder where the synthetic datasets are generated (once) and read by the labs
     * @param policies folder holding the labs' policy files ({@code <id>.yaml})
     */
    public IberianNetwork(PrintStream out, Path datasets, Path policies) {
        this.out = out;
        this.datasets = datasets.toAbsolutePath().normalize();
        this.policies = policies.toAbsolutePath().normalize();
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

        step(3, provider.name() + "'s policy officer applies its policies; its administrator registers its datasets under them (synthetic data, generated once into " + datasets + ")");
        MADRID_POLICIES.forEach(policy -> apply(madrid, policy));
        register(madrid, DATASET, SampleData.airQuality(datasets), "Madrid air quality sensors (synthetic)",
                "Hourly PM2.5, PM10 and NO2 at 50 stations, 2022-2024; generated, no real measurements", List.of("air", "pollution", "spain"), "CC-BY-4.0",
                "members-research");
        register(madrid, CLINICAL, SampleData.clinical(datasets), "Clinical sandbox (synthetic patients)",
                "5,000 synthetic patients with diagnoses; the personal-data columns are fake", List.of("health", "clinical"), "restricted", "clinical-iberian");

        step(4, consumer.name() + "'s policy officer and administrator do the same");
        LISBON_POLICIES.forEach(policy -> apply(lisbon, policy));
        register(lisbon, "energy-grid", SampleData.energyGrid(datasets), "Portuguese energy grid load (synthetic)",
                "Hourly load and frequency at 40 substations, 2024", List.of("energy", "grid", "portugal"), "CC-BY-4.0", "energy-attribution");
        register(lisbon, "solar-irradiance", SampleData.solar(datasets), "Solar irradiance in Portugal (synthetic)",
                "Daily global horizontal irradiance at 25 sites, 2023-2024", List.of("energy", "solar", "portugal"), "CC-BY-4.0", "portugal-only");

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

        step(6, consumer.name() + " negotiates a contract for " + DATASET + " over DSP 2025-1, for " + PURPOSE);
        var started = System.nanoTime();
        var negotiation = negotiate(lisbon, provider, DATASET, PURPOSE);
        var millis = (System.nanoTime() - started) / 1_000_000;
        if (!"FINALIZED".equals(negotiation.path("state").asText())) {
            throw new IllegalStateException("negotiation ended " + negotiation.path("state").asText() + ": " + negotiation.path("errorDetail").asText());
        }
        var consumerAgreement = lisbon.getAgreement(negotiation.path("contractAgreementId").asText());
        out.printf("      FINALIZED in %d ms; agreement %s%n", millis, consumerAgreement.path("agreementId").asText());

        step(7, "both labs hold the agreement");
        var providerAgreement = findAgreement(madrid, consumerAgreement);
        var granted = madrid.get("/labspace/v1/agreements/" + providerAgreement.path("@id").asText());
        out.printf("      %s (provider): %s for %s, consumer %s, purpose %s, duties: %s (bin/labspace agreement granted)%n", provider.name(),
                granted.path("id").asText(), granted.path("dataset").asText(), granted.path("consumer").asText(), granted.path("purpose").asText(),
                granted.path("duties"));
        out.printf("      %s (consumer): %s for %s, provider %s%n", consumer.name(), consumerAgreement.path("@id").asText(),
                consumerAgreement.path("assetId").asText(), consumerAgreement.path("providerId").asText());
        out.printf("      %s now holds %d agreement(s) in total%n", consumer.name(), lisbon.queryAgreements().size());

        step(8, consumer.name() + " pulls " + DATASET + " from " + provider.name() + "'s data plane as Arrow record batches");
        pull(lisbon, provider, negotiation.path("contractAgreementId").asText());

        step(9, consumer.name() + " pulls " + CLINICAL + " for research.evaluation: the clinical-iberian policy masks its personal data");
        pullMasked(lisbon, provider);

        step(10, provider.name() + " asks for " + consumer.name() + "'s solar-irradiance, which the portugal-only policy keeps for Portuguese members");
        var refused = negotiate(madrid, consumer, "solar-irradiance", PURPOSE);
        if (!"TERMINATED".equals(refused.path("state").asText())) {
            throw new IllegalStateException("lab-lisbon's portugal-only policy should refuse lab-madrid, but the negotiation is " + refused.path("state").asText());
        }
        var why = lisbon.post("/labspace/v1/policies/portugal-only/explain", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("participant", provider.participantId()).put("purpose", PURPOSE));
        out.printf("      refused; %s's policy officer sees why (bin/labspace policy explain portugal-only --participant %s --purpose %s):%n",
                consumer.name(), provider.participantId(), PURPOSE);
        why.path("lines").forEach(line -> out.println("        " + line.asText()));
        return consumerAgreement.path("@id").asText();
    }

    private static JsonNode negotiate(ManagementClient consumer, LabProcess provider, String datasetId, String purpose) {
        return consumer.negotiateFor(provider.protocolUrl().toString(), provider.participantId(), datasetId, purpose, Duration.ofSeconds(60));
    }

    /** The clinical sandbox: names hashed, birth dates blanked; no real name leaves madrid. */
    private void pullMasked(ManagementClient lisbon, LabProcess provider) {
        var negotiation = negotiate(lisbon, provider, CLINICAL, "research.evaluation");
        if (!"FINALIZED".equals(negotiation.path("state").asText())) {
            throw new IllegalStateException("lab-lisbon should get the clinical sandbox, but the negotiation ended " + negotiation.path("state").asText()
                    + ": " + negotiation.path("errorDetail").asText());
        }
        var transferId = lisbon.startTransfer(provider.protocolUrl().toString(), negotiation.path("contractAgreementId").asText(), ManagementClient.ARROW_PULL);
        var endpoint = lisbon.awaitTransferEndpoint(transferId, Duration.ofSeconds(60));
        var client = new ArrowStreamClient(URI.create(endpoint.path("endpoint").asText()), endpoint.path("token").asText(), Duration.ofSeconds(60), 3);
        var names = new java.util.HashSet<String>();
        var nullBirthDates = new long[1];
        String[] first = new String[1];
        ArrowStreamClient.ReadResult result;
        try (var allocator = new RootAllocator()) {
            result = client.read(StreamQuery.ALL, allocator, batch -> {
                var name = batch.getVector("full_name");
                var birth = batch.getVector("birth_date");
                for (var row = 0; row < batch.getRowCount(); row++) {
                    names.add(String.valueOf(name.getObject(row)));
                    if (birth.isNull(row)) {
                        nullBirthDates[0]++;
                    }
                    if (first[0] == null) {
                        first[0] = "full_name=" + name.getObject(row) + ", birth_date=" + birth.getObject(row) + ", diagnosis_icd10="
                                + batch.getVector("diagnosis_icd10").getObject(row) + " (postal_code withheld: " + (batch.getVector("postal_code") == null) + ")";
                    }
                }
            });
        }
        if (names.stream().anyMatch(n -> n.contains(" ")) || nullBirthDates[0] != result.rows()
                || result.schema().getFields().stream().anyMatch(f -> f.getName().equals("postal_code"))) {
            throw new IllegalStateException("the clinical sandbox arrived unmasked: " + first[0]);
        }
        out.printf("      %,d rows; first row as lab-lisbon received it: %s%n", result.rows(), first[0]);
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
    private void register(ManagementClient lab, String id, Path path, String title, String description, List<String> keywords, String license,
                          String policy) {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("id", id);
        body.put("path", path.toString());
        body.put("title", title);
        body.put("description", description);
        body.put("keywords", keywords);
        body.put("license", license);
        body.put("policy", policy);
        var existed = exists(() -> lab.getDataset(id));
        var dataset = existed ? lab.updateDataset(id, body) : lab.registerDataset(body);
        out.printf("      %s %s v%d: %,d rows in %d file(s), %d columns, policy %s (bin/labspace dataset add --id %s --policy %s --path ...)%n",
                existed ? "kept" : "registered", id, dataset.path("version").asInt(), dataset.path("rowCount").asLong(),
                dataset.path("fileCount").asInt(), dataset.path("schema").size(), policy, id, policy);
    }

    /** Applies a policy file; applying the same file again on a later run changes nothing. */
    private void apply(ManagementClient lab, String policy) {
        var file = policies.resolve(policy + ".yaml");
        String source;
        try {
            source = java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the policy file " + file + ": " + e.getMessage(), e);
        }
        var applied = lab.post("/labspace/v1/policies", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("file", file.getFileName().toString()).put("source", source));
        out.printf("      policy %s: %s (bin/labspace policy apply %s)%n", policy, applied.path("summary").asText(), file.getFileName());
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
