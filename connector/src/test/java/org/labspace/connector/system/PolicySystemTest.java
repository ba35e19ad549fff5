package org.labspace.connector.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;
import org.labspace.dataplane.client.ArrowStreamClient;
import org.labspace.dataplane.client.StreamQuery;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Policies written by a policy officer, applied through the API and enforced by real labs: lab-madrid (ES
 * university) publishes a clinical dataset under an Iberian, ethics-approved, PII-masked policy and an
 * energy dataset visible to Portugal only; lab-lisbon (PT public research, ethics-board-approved) and acme-ai (ES
 * company) ask for them.
 */
@Tag("runtime")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicySystemTest {

    static final String CLINICAL = """
            policy: clinical-iberian
            description: Clinical sandbox for Iberian public research
            visibleTo:
              memberCountry: [ES, PT]
            allow:
              - name: ethics-approved
                purpose: [research.non-commercial, research.evaluation]
                when:
                  organizationType: {isAnyOf: [university, public-research]}
                  accreditation: ethics-board-approved
                validFor: P90D
                restrict:
                  maskedColumns: [patient_name, national_id:null]
                  rowFilter: "age >= 18"
                duties:
                  attribution: "Lab Madrid clinical sandbox (2026)"
            """;
    static final String PORTUGAL_ONLY = """
            policy: portugal-only
            visibleTo:
              memberCountry: PT
            allow:
              - purpose: education
            """;
    static final String NON_COMMERCIAL = """
            policy: non-commercial
            allow:
              - name: not-companies
                purpose: research.non-commercial
                when:
                  organizationType: {isNoneOf: [company]}
                restrict:
                  deniedColumns: [diagnosis]
                  maxRowsPerTransfer: 1000
            """;
    private static final int ROWS = 10_000;

    private Path dir;
    private LabProcess madrid;
    private LabProcess lisbon;
    private LabProcess acme;
    private LabProcess valencia;
    private LabProcess porto;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("labspace-policy");
        var clinical = dir.resolve("data/clinical.parquet");
        Files.createDirectories(clinical.getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT i::BIGINT AS id, 'patient ' || i AS patient_name, 'ID' || i AS national_id, (i % 90)::INTEGER AS age,"
                    + " 'J' || (i % 7) AS diagnosis FROM range(" + ROWS + ") t(i)) TO '" + clinical + "' (FORMAT parquet)");
        }
        var network = TestLab.network(dir);
        var madridConfig = TestLab.config(network, "lab-madrid", dir.resolve("madrid"), Map.of());
        var lisbonConfig = TestLab.config(network, "lab-lisbon", dir.resolve("lisbon"), Map.of());
        var acmeConfig = TestLab.config(network, "acme-ai", dir.resolve("acme"), Map.of());
        var valenciaConfig = TestLab.config(network, "lab-valencia", dir.resolve("valencia"), Map.of());
        var portoConfig = TestLab.config(network, "lab-porto", dir.resolve("porto"), Map.of());
        network.describe("lab-lisbon", "PT", "public-research", List.of("ethics-board-approved"));
        network.describe("acme-ai", "ES", "company", List.of("ethics-board-approved"));
        network.describe("lab-valencia", "ES", "university", List.of("ethics-board-approved"));
        network.describe("lab-porto", "PT", "university", List.of("ethics-board-approved"));
        network.suspend("lab-porto");
        network.publish();
        madrid = TestLab.process("lab-madrid", TestLab.write(dir.resolve("madrid.properties"), madridConfig), dir).start(Duration.ofSeconds(180));
        lisbon = TestLab.process("lab-lisbon", TestLab.write(dir.resolve("lisbon.properties"), lisbonConfig), dir).start(Duration.ofSeconds(180));
        acme = TestLab.process("acme-ai", TestLab.write(dir.resolve("acme.properties"), acmeConfig), dir).start(Duration.ofSeconds(180));
        valencia = TestLab.process("lab-valencia", TestLab.write(dir.resolve("valencia.properties"), valenciaConfig), dir).start(Duration.ofSeconds(180));
        porto = TestLab.process("lab-porto", TestLab.write(dir.resolve("porto.properties"), portoConfig), dir).start(Duration.ofSeconds(180));

        var provider = madrid.management();
        var applied = provider.post("/labspace/v1/policies", json.createObjectNode().put("file", "clinical.yaml").put("source", CLINICAL));
        assertThat(applied.path("offers")).extracting(JsonNode::asText)
                .containsExactly("clinical-iberian~ethics-approved~research.non-commercial", "clinical-iberian~ethics-approved~research.evaluation");
        provider.post("/labspace/v1/policies", json.createObjectNode().put("file", "portugal.yaml").put("source", PORTUGAL_ONLY));
        provider.post("/labspace/v1/policies", json.createObjectNode().put("file", "non-commercial.yaml").put("source", NON_COMMERCIAL));
        provider.registerDataset(Map.<String, Object>of("id", "clinical", "path", clinical.toString(), "title", "Clinical sandbox", "policy", "clinical-iberian"));
        provider.registerDataset(Map.<String, Object>of("id", "clinical-pt", "path", clinical.toString(), "title", "Clinical sandbox (PT)", "policy", "portugal-only"));
        provider.registerDataset(Map.<String, Object>of("id", "clinical-nc", "path", clinical.toString(), "title", "Clinical sandbox (non-commercial)",
                "policy", "non-commercial"));
    }

    @AfterAll
    void stop() {
        for (var lab : new LabProcess[]{porto, valencia, acme, lisbon, madrid}) {
            if (lab != null) {
                lab.close();
            }
        }
        TestLab.delete(dir);
    }

    @Test
    void brokenPoliciesAreRefusedWithTheLineAndReason() {
        var broken = CLINICAL.replace("memberCountry: [ES, PT]", "membercountry: [ES, PT]").replace("P90D", "90 days");
        assertThatThrownBy(() -> madrid.management().post("/labspace/v1/policies/validate", json.createObjectNode().put("file", "clinical.yaml").put("source", broken)))
                .isInstanceOfSatisfying(ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("clinical.yaml:4 ($.visibleTo.membercountry): unknown condition 'membercountry' (did you mean memberCountry?)");
                });
        // a restriction on a column the registered dataset lacks
        var wrongColumn = CLINICAL.replace("patient_name, national_id:null", "patient, national_id:null");
        assertThatThrownBy(() -> madrid.management().post("/labspace/v1/policies", json.createObjectNode().put("file", "clinical.yaml").put("source", wrongColumn)))
                .hasMessageContaining("names column patient that dataset 'clinical' lacks");
        // EDC would store a policy with an operand nobody evaluates; Labspace does not
        var raw = json.createObjectNode();
        raw.put("@type", "Set");
        var constraint = raw.putArray("permission").addObject().put("action", "use").putArray("constraint").addObject();
        constraint.put("leftOperand", "https://w3id.org/labspace/v1/membercountry").put("operator", "eq").put("rightOperand", "ES");
        assertThatThrownBy(() -> madrid.management().createPolicy("raw-typo", raw)).isInstanceOf(ManagementApiException.class);
        // the stored policy still reads back as applied
        var shown = madrid.management().get("/labspace/v1/policies/clinical-iberian");
        assertThat(shown.path("yaml").asText()).contains("memberCountry: [ES, PT]", "validFor: P90D", "maskedColumns: [patient_name, national_id:null]");
        assertThat(shown.path("summary").asText()).startsWith("Datasets under policy clinical-iberian are visible in the catalog to members whose country is one of ES, PT.");
    }

    @Test
    void visibilityFollowsTheAccessPolicy() {
        assertThat(datasetIds(lisbon)).contains("clinical", "clinical-pt");
        assertThat(datasetIds(acme)).contains("clinical").doesNotContain("clinical-pt");
    }

    @Test
    void aQualifyingLabGetsTheMaskedFilteredRowsAndOthersAreRefusedWithTheReason() throws Exception {
        var consumer = lisbon.management();
        var agreement = negotiate(lisbon, "clinical", "research.evaluation");
        assertThat(agreement.path("state").asText()).isEqualTo("FINALIZED");
        var transfer = consumer.startTransfer(madrid.protocolUrl().toString(), agreement.path("contractAgreementId").asText(), ManagementClient.ARROW_PULL);
        var endpoint = consumer.awaitTransferEndpoint(transfer, Duration.ofSeconds(60));
        var client = new ArrowStreamClient(URI.create(endpoint.path("endpoint").asText()), endpoint.path("token").asText(), Duration.ofSeconds(30), 0);
        var names = new HashSet<String>();
        var nullIds = new long[1];
        try (var allocator = new RootAllocator()) {
            var result = client.read(StreamQuery.ALL, allocator, batch -> {
                var name = (VarCharVector) batch.getVector("patient_name");
                for (var i = 0; i < batch.getRowCount(); i++) {
                    names.add(new String(name.get(i)));
                    if (batch.getVector("national_id").isNull(i)) {
                        nullIds[0]++;
                    }
                }
            });
            var adults = java.util.stream.LongStream.range(0, ROWS).filter(i -> i % 90 >= 18).count();
            assertThat(result.rows()).isEqualTo(adults);
            assertThat(nullIds[0]).isEqualTo(adults);
        }
        assertThat(names).noneMatch(n -> n.startsWith("patient "));
        // nor do the masked values appear anywhere in the bytes sent
        var connection = (java.net.HttpURLConnection) URI.create(endpoint.path("endpoint").asText() + "/v1/stream").toURL().openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + endpoint.path("token").asText());
        byte[] body;
        try (var in = connection.getInputStream()) {
            body = in.readAllBytes();
        }
        var text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(body.length).isGreaterThan(100_000);
        assertThat(text).doesNotContain("patient 1", "ID1");
        assertThat(text).contains("J3");

        var refused = negotiate(acme, "clinical", "research.evaluation");
        assertThat(refused.path("state").asText()).isEqualTo("TERMINATED");

        var explained = madrid.management().post("/labspace/v1/policies/clinical-iberian/explain",
                json.createObjectNode().put("participant", "acme-ai").put("purpose", "research.evaluation"));
        assertThat(explained.path("granted").asBoolean()).isFalse();
        assertThat(explained.path("lines").toString()).contains("FAIL organizationType: organizationType of acme-ai is company");
        // the provider's audit log holds each decision, with the failing constraint for the refusal
        assertThat(datasetIds(acme)).contains("clinical");
        var audit = madrid.management().get("/labspace/v1/audit?limit=1000");
        var lines = new ArrayList<String>();
        audit.forEach(line -> lines.add(line.path("kind").asText() + " " + line.path("decision").asText() + " " + line.path("participant").asText()
                + " " + line.path("dataset").asText() + " " + line.path("detail").asText()));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("catalog shown acme-ai null [1-9][0-9]* datasets, [1-9][0-9]* offers shown"));
        assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo("catalog shown acme-ai clinical 1 dataset, 2 offers shown"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("negotiation refused acme-ai clinical FAIL organizationType"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("negotiation granted lab-lisbon clinical agreement granted for research.evaluation, until "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("stream started lab-lisbon clinical columns id,patient_name,national_id,age,diagnosis;")
                .contains("column patient_name hashed", "rows where"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("stream ended lab-lisbon clinical").contains(" rows, "));
        assertThat(audit.toString()).doesNotContain("patient 1", "Bearer");

        var lisbonExplained = madrid.management().post("/labspace/v1/policies/clinical-iberian/explain",
                json.createObjectNode().put("participant", "lab-lisbon").put("purpose", "research.evaluation"));
        assertThat(lisbonExplained.path("granted").asBoolean()).isTrue();
    }

    enum Outcome { GRANTED, REFUSED, HIDDEN, NO_OFFER }

    /** Who asks (by registry facts), for which dataset and purpose; what arrives when granted. */
    record Case(String participant, String dataset, String purpose, Outcome outcome, List<String> columns, long rows) {
        @Override
        public String toString() {
            return participant + " asks " + dataset + " for " + purpose + ": " + outcome;
        }
    }

    static java.util.stream.Stream<Case> matrix() {
        var adults = java.util.stream.LongStream.range(0, ROWS).filter(i -> i % 90 >= 18).count();
        var all = List.of("id", "patient_name", "national_id", "age", "diagnosis");
        return java.util.stream.Stream.of(
                new Case("lab-valencia", "clinical", "research.evaluation", Outcome.GRANTED, all, adults),
                new Case("lab-lisbon", "clinical", "research.non-commercial", Outcome.GRANTED, all, adults),
                new Case("acme-ai", "clinical", "research.evaluation", Outcome.REFUSED, null, 0),
                new Case("lab-valencia", "clinical", "commercial", Outcome.NO_OFFER, null, 0),
                new Case("lab-valencia", "clinical-pt", "education", Outcome.HIDDEN, null, 0),
                new Case("acme-ai", "clinical-pt", "education", Outcome.HIDDEN, null, 0),
                new Case("lab-lisbon", "clinical-pt", "education", Outcome.GRANTED, all, ROWS),
                new Case("lab-lisbon", "clinical-nc", "research.non-commercial", Outcome.GRANTED, List.of("id", "patient_name", "national_id", "age"), 1000),
                new Case("lab-valencia", "clinical-nc", "research.non-commercial", Outcome.GRANTED, List.of("id", "patient_name", "national_id", "age"), 1000),
                new Case("acme-ai", "clinical-nc", "research.non-commercial", Outcome.REFUSED, null, 0),
                new Case("lab-valencia", "clinical-nc", "education", Outcome.NO_OFFER, null, 0));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("matrix")
    void participantsTimesPoliciesTimesPurposes(Case c) throws Exception {
        var consumer = lab(c.participant());
        var catalog = consumer.management().requestCatalog(madrid.protocolUrl().toString(), madrid.participantId());
        var dataset = ManagementClient.datasets(catalog).stream().filter(d -> d.path("@id").asText().equals(c.dataset())).findFirst();
        if (c.outcome() == Outcome.HIDDEN) {
            assertThat(dataset).as(c.dataset() + " in " + c.participant() + "'s catalog").isEmpty();
            return;
        }
        assertThat(dataset).as(c.dataset() + " in " + c.participant() + "'s catalog").isPresent();
        var offer = ManagementClient.offerFor(dataset.get(), c.purpose());
        if (c.outcome() == Outcome.NO_OFFER) {
            assertThat(offer).as("an offer of " + c.dataset() + " for " + c.purpose()).isNull();
            return;
        }
        assertThat(offer).isNotNull();
        var client = consumer.management();
        var negotiation = client.awaitNegotiation(client.negotiateOffer(madrid.protocolUrl().toString(), madrid.participantId(), c.dataset(), offer),
                Duration.ofSeconds(60));
        if (c.outcome() == Outcome.REFUSED) {
            assertThat(negotiation.path("state").asText()).isEqualTo("TERMINATED");
            return;
        }
        assertThat(negotiation.path("state").asText()).isEqualTo("FINALIZED");
        var transfer = client.startTransfer(madrid.protocolUrl().toString(), negotiation.path("contractAgreementId").asText(), ManagementClient.ARROW_PULL);
        var endpoint = client.awaitTransferEndpoint(transfer, Duration.ofSeconds(60));
        var stream = new ArrowStreamClient(URI.create(endpoint.path("endpoint").asText()), endpoint.path("token").asText(), Duration.ofSeconds(30), 0);
        var clearNames = new long[1];
        try (var allocator = new RootAllocator()) {
            var result = stream.read(StreamQuery.ALL, allocator, batch -> {
                if (batch.getSchema().findField("patient_name") != null) {
                    var names = (VarCharVector) batch.getVector("patient_name");
                    for (var i = 0; i < batch.getRowCount(); i++) {
                        if (new String(names.get(i)).startsWith("patient ")) {
                            clearNames[0]++;
                        }
                    }
                }
            });
            assertThat(result.schema().getFields()).extracting(f -> f.getName()).containsExactlyElementsOf(c.columns());
            assertThat(result.rows()).isEqualTo(c.rows());
        }
        var masked = c.dataset().equals("clinical");
        assertThat(clearNames[0]).as("rows with a clear patient name").isEqualTo(masked ? 0 : c.rows());
    }

    @Test
    void aSuspendedMemberSeesNothing() {
        assertThatThrownBy(() -> porto.management().requestCatalog(madrid.protocolUrl().toString(), madrid.participantId()))
                .isInstanceOf(ManagementApiException.class);
        var explained = madrid.management().post("/labspace/v1/policies/clinical-iberian/explain",
                json.createObjectNode().put("participant", "lab-porto").put("purpose", "research.evaluation"));
        assertThat(explained.path("visible").asBoolean()).isFalse();
        assertThat(explained.path("lines").toString()).contains("lab-porto is suspended from the network");
    }

    private LabProcess lab(String participant) {
        return switch (participant) {
            case "lab-lisbon" -> lisbon;
            case "acme-ai" -> acme;
            case "lab-valencia" -> valencia;
            case "lab-porto" -> porto;
            default -> throw new IllegalArgumentException(participant);
        };
    }

    private List<String> datasetIds(LabProcess consumer) {
        var catalog = consumer.management().requestCatalog(madrid.protocolUrl().toString(), madrid.participantId());
        var ids = new ArrayList<String>();
        ManagementClient.datasets(catalog).forEach(d -> ids.add(d.path("@id").asText()));
        return ids;
    }

    /** Negotiates the dataset's offer for {@code purpose}, as the catalog showed it. */
    private JsonNode negotiate(LabProcess consumer, String datasetId, String purpose) {
        return consumer.management().negotiateFor(madrid.protocolUrl().toString(), madrid.participantId(), datasetId, purpose, Duration.ofSeconds(60));
    }
}
