package org.labspace.connector.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;
import org.labspace.dataplane.client.ArrowStreamClient;
import org.labspace.dataplane.client.StreamQuery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes under real labs (lab-madrid provides, lab-lisbon consumes), each followed by what must hold after it:
 * the provider killed mid-stream and restarted (the client resumes, every row arrives once), the consumer killed
 * mid-negotiation and restarted (the negotiation settles, on both sides), and the embedded PostgreSQL killed under
 * both labs (requests get a 503 naming the database until the connector has started it again; nothing committed is
 * lost).
 */
@Tag("runtime")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoverySystemTest {

    private static final String READINGS = """
            policy: readings
            allow:
              - name: members
                purpose: [research.non-commercial]
            """;
    /** 32 batches of 64,000 rows. */
    private static final int ROWS = 2_000_000;
    private static final Duration START = Duration.ofSeconds(180);

    private Path dir;
    private LabProcess madrid;
    private LabProcess lisbon;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("labspace-crashes");
        var file = dir.resolve("data/readings.parquet");
        Files.createDirectories(file.getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT i::BIGINT AS id, (i % 50) / 2.0 AS pm25 FROM range(" + ROWS + ") t(i)) TO '" + file + "' (FORMAT parquet)");
        }
        var network = TestLab.network(dir);
        var madridConfig = TestLab.config(network, "lab-madrid", dir.resolve("madrid"), Map.of());
        var lisbonConfig = TestLab.config(network, "lab-lisbon", dir.resolve("lisbon"), Map.of());
        network.publish();
        madrid = TestLab.process("lab-madrid", TestLab.write(dir.resolve("madrid.properties"), madridConfig), dir).start(START);
        lisbon = TestLab.process("lab-lisbon", TestLab.write(dir.resolve("lisbon.properties"), lisbonConfig), dir).start(START);
        madrid.management().post("/labspace/v1/policies", json.createObjectNode().put("file", "readings.yaml").put("source", READINGS));
        madrid.management().registerDataset(Map.<String, Object>of("id", "readings", "path", file.toString(), "title", "Readings", "policy", "readings"));
    }

    @AfterAll
    void stop() {
        for (var lab : new LabProcess[]{lisbon, madrid}) {
            if (lab != null) {
                resume(lab); // a failed test may leave it stopped
                lab.close();
            }
        }
        TestLab.delete(dir);
    }

    @Test
    @Order(1)
    void providerKilledMidStream_theClientResumesAfterItsRestart_andEveryRowArrivesOnce() throws Exception {
        var endpoint = transferEndpoint(agree());
        // resumes for as long as the provider takes to come back, up to 2 minutes
        var client = new ArrowStreamClient(URI.create(endpoint.path("endpoint").asText()), endpoint.path("token").asText(),
                Duration.ofSeconds(30), 0, Duration.ofMinutes(2));
        var seen = new BitSet(ROWS);
        var duplicates = new AtomicLong();
        var pm25Halves = new AtomicLong();
        var rowsAtKill = new AtomicLong(-1);
        var restarted = new CompletableFuture<Void>();

        ArrowStreamClient.ReadResult result;
        try (var allocator = new RootAllocator()) {
            result = client.read(StreamQuery.ALL, allocator, batch -> {
                var ids = (BigIntVector) batch.getVector("id");
                var pm25 = (Float8Vector) batch.getVector("pm25");
                for (var i = 0; i < batch.getRowCount(); i++) {
                    var id = (int) ids.get(i);
                    if (seen.get(id)) {
                        duplicates.incrementAndGet();
                    }
                    seen.set(id);
                    pm25Halves.addAndGet(Math.round(pm25.get(i) * 2));
                }
                if (seen.cardinality() >= 3 * 64_000 && rowsAtKill.get() < 0) {
                    // the provider dies mid-stream, as a crash or an out-of-memory kill would end it, and its
                    // operator starts it again on the same ports and data folder
                    rowsAtKill.set(seen.cardinality());
                    madrid.kill();
                    CompletableFuture.runAsync(() -> madrid.start(START)).whenComplete((done, failure) -> {
                        if (failure != null) {
                            restarted.completeExceptionally(failure);
                        } else {
                            restarted.complete(null);
                        }
                    });
                }
                sleep(20); // a reader a little slower than the sender, so that most of the stream is still unsent
            });
        }
        restarted.get(START.toSeconds(), TimeUnit.SECONDS);

        assertThat(rowsAtKill.get()).as("rows read before the kill").isBetween(1L, (long) ROWS - 1);
        assertThat(result.resumes()).as("attempts after the kill").isGreaterThanOrEqualTo(1);
        assertThat(duplicates.get()).as("rows delivered twice").isZero();
        assertThat(result.rows()).isEqualTo(ROWS);
        assertThat(seen.cardinality()).as("distinct ids").isEqualTo(ROWS);
        // the source's pm25 column is (id % 50) / 2: its sum in halves is ROWS / 50 times 0 + 1 + ... + 49
        assertThat(pm25Halves.get()).isEqualTo((long) ROWS / 50 * (49 * 50 / 2));
        var log = Files.readString(madrid.logFile());
        assertThat(log.lastIndexOf("Stream of readings for lab-lisbon")).as("the restarted provider served the rest")
                .isGreaterThan(log.lastIndexOf("Booting EDC runtime")).isGreaterThan(log.indexOf("Booting EDC runtime"));
        // the killed connector's PostgreSQL was still running: the restart stopped it (and said so in its log)
        assertThat(Files.readString(Path.of(madrid.settings().get("labspace.data.dir"), "logs", "postgres.log")))
                .contains("stopping PostgreSQL (pid");
    }

    /**
     * The restarted consumer sends its contract request again (same consumerPid, no providerPid), and the provider
     * may already have made a negotiation for the first copy and sent its agreement to the dead consumer. Before
     * {@code ResentContractRequests}, the provider made a negotiation for each copy, and 1 run in 4 ended with two
     * agreements and a third negotiation stuck in AGREED. {@code bench/consumer-crash-soak} repeats this class.
     */
    @Test
    @Order(2)
    void consumerKilledMidNegotiation_theNegotiationSettlesOnBothSides() throws Exception {
        var consumer = lisbon.management();
        var dataset = ManagementClient.datasets(consumer.requestCatalog(madrid.protocolUrl().toString(), "lab-madrid")).stream()
                .filter(d -> "readings".equals(d.path("@id").asText())).findFirst().orElseThrow();
        var offer = ManagementClient.offerFor(dataset, "research.non-commercial");
        var providerBefore = negotiationIds(madrid.management());

        // the provider stops answering for a moment (SIGSTOP), so the consumer's request is on the wire when it dies
        String negotiation;
        signal(madrid, "STOP");
        try {
            negotiation = consumer.negotiateOffer(madrid.protocolUrl().toString(), "lab-madrid", "readings", offer);
            awaitState(consumer, negotiation, "REQUESTING");
            lisbon.kill();
        } finally {
            signal(madrid, "CONT");
        }
        Thread.sleep(2_000); // the provider reads the request and sends its agreement to a consumer that is not there
        lisbon.start(START);

        var settled = lisbon.management().awaitNegotiation(negotiation, Duration.ofSeconds(90));
        var state = settled.path("state").asText();
        System.out.println("consumer's negotiation after the restart: " + settled);
        assertThat(state).isIn("FINALIZED", "TERMINATED");
        if (state.equals("TERMINATED")) {
            assertThat(settled.path("errorDetail").asText()).as("a terminated negotiation says why").isNotBlank();
        }
        // and the provider's side of it settles too: one negotiation, however often the request was sent
        var provider = madrid.management();
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<JsonNode> providerSide;
        while (true) {
            providerSide = new ArrayList<>();
            for (var n : provider.queryNegotiations()) {
                if (!providerBefore.contains(n.path("@id").asText())) {
                    providerSide.add(n);
                }
            }
            if (!providerSide.isEmpty() && providerSide.stream().allMatch(n -> List.of("FINALIZED", "TERMINATED").contains(n.path("state").asText()))) {
                break;
            }
            assertThat(System.nanoTime()).as(() -> "the provider's negotiations are still open: " + states(providerSide())).isLessThan(deadline);
            Thread.sleep(250);
        }
        System.out.println("provider's negotiations: " + states(providerSide) + "; the consumer's request came again: "
                + Files.readString(madrid.logFile()).contains("came again: answered with its negotiation"));
        assertThat(providerSide).as("one provider negotiation for the consumer's request").hasSize(1);
        if (state.equals("FINALIZED")) {
            var agreementId = lisbon.management().getAgreement(settled.path("contractAgreementId").asText()).path("agreementId").asText();
            assertThat(providerSide).as("the provider finalized the same agreement")
                    .anyMatch(n -> n.path("state").asText().equals("FINALIZED")
                            && provider.getAgreement(n.path("contractAgreementId").asText()).path("agreementId").asText().equals(agreementId));
            assertThat(providerSide.stream().filter(n -> n.path("state").asText().equals("FINALIZED"))).as("one agreement, not two").hasSize(1);
        } else {
            assertThat(providerSide).as("no agreement the consumer does not know of").allMatch(n -> n.path("state").asText().equals("TERMINATED"));
        }
        // and the restarted consumer negotiates as before
        assertThat(agree()).isNotBlank();
    }

    @Test
    @Order(3)
    void embeddedPostgresKilled_requestsGet503NamingTheDatabase_andTheLabsComeBackWithEverythingCommitted() throws Exception {
        var agreement = agree();
        var endpoint = transferEndpoint(agreement);
        var researcherKey = lisbon.management().post("/labspace/v1/researchers", json.createObjectNode().put("name", "ana.silva")).path("key").asText();
        var before = committedState();
        var streamUrl = URI.create(endpoint.path("endpoint").asText() + "/v1/stream?limit=10");
        var requests = new LinkedHashMap<String, HttpRequest>();
        requests.put("madrid management: datasets", management(madrid, "/labspace/v1/datasets").GET().build());
        requests.put("madrid management: assets", management(madrid, "/v3/assets/request").POST(body("{\"@context\": {\"@vocab\": \"https://w3id.org/edc/v0.0.1/ns/\"}, \"@type\": \"QuerySpec\"}")).build());
        requests.put("madrid stream", HttpRequest.newBuilder(streamUrl).header("Authorization", "Bearer " + endpoint.path("token").asText()).GET().build());
        requests.put("lisbon research: mine", HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lisbon.settings().get("web.http.research.port") + "/research/v1/mine"))
                .header("Authorization", "Bearer " + researcherKey).GET().build());
        requests.put("lisbon management: researchers", management(lisbon, "/labspace/v1/researchers").GET().build());

        var killedAt = System.nanoTime();
        killPostmaster(madrid);
        killPostmaster(lisbon);
        // until every API answers again: what each one said, and how fast
        var answers = new LinkedHashMap<String, List<String>>();
        requests.keySet().forEach(k -> answers.put(k, new ArrayList<>()));
        var recovered = false;
        while (!recovered) {
            assertThat(System.nanoTime() - killedAt).as(() -> "the labs did not recover within 60 s: " + answers).isLessThan(TimeUnit.SECONDS.toNanos(60));
            recovered = true;
            for (var request : requests.entrySet()) {
                var answer = send(request.getValue());
                answers.get(request.getKey()).add(answer);
                recovered &= answer.startsWith("200");
            }
        }
        var seconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.println("recovered after " + seconds + " s; answers: " + answers);

        answers.forEach((what, seenAnswers) -> {
            assertThat(seenAnswers).as(what + ": only 200, or 503 naming the database, never a hang or a 500")
                    .allMatch(a -> a.startsWith("200") || a.startsWith("503") && a.contains("database"));
        });
        answers.forEach((what, seenAnswers) -> assertThat(seenAnswers).as(what + ": the outage was seen").anyMatch(a -> a.startsWith("503")));
        // the watchdog logs once PostgreSQL's start returned, which can be a moment after the first request got through
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Files.readString(madrid.logFile())).contains("Embedded PostgreSQL restarted"));

        assertThat(committedState()).isEqualTo(before);
        // new work goes through: a negotiation, a transfer and a stream
        var fresh = transferEndpoint(agree());
        try (var allocator = new RootAllocator()) {
            var read = new ArrowStreamClient(URI.create(fresh.path("endpoint").asText()), fresh.path("token").asText(), Duration.ofSeconds(30), 0)
                    .read(StreamQuery.ALL.withLimit(100_000L), allocator, batch -> {
                    });
            assertThat(read.rows()).isEqualTo(100_000);
        }
    }

    /** What both labs committed, by stable fields (EDC gives a stored policy a fresh {@code @id} on every read). */
    private Map<String, List<String>> committedState() {
        var state = new LinkedHashMap<String, List<String>>();
        state.put("madrid datasets", fields(json.valueToTree(madrid.management().listDatasets(true)), "id", "title", "usagePolicy", "version", "fingerprint", "withdrawn"));
        state.put("madrid policies", fields(madrid.management().get("/labspace/v1/policies"), "id"));
        state.put("madrid agreements", fields(madrid.management().queryAgreements(), "@id", "agreementId", "assetId", "consumerId"));
        state.put("lisbon agreements", fields(lisbon.management().queryAgreements(), "@id", "agreementId", "assetId", "providerId"));
        state.put("lisbon researchers", fields(lisbon.management().get("/labspace/v1/researchers"), "name", "created", "active"));
        state.values().forEach(values -> assertThat(values).isNotEmpty());
        return state;
    }

    private static List<String> fields(JsonNode items, String... names) {
        var out = new ArrayList<String>();
        for (var item : items) {
            var line = new StringBuilder();
            for (var name : names) {
                line.append(name).append('=').append(item.path(name).asText()).append(' ');
            }
            out.add(line.toString().trim());
        }
        out.sort(null);
        return out;
    }

    /** Negotiates the readings for non-commercial research; returns lisbon's agreement id. */
    private String agree() {
        var negotiation = lisbon.management().negotiateFor(madrid.protocolUrl().toString(), "lab-madrid", "readings", "research.non-commercial", Duration.ofSeconds(60));
        assertThat(negotiation.path("state").asText()).as(negotiation.toString()).isEqualTo("FINALIZED");
        return negotiation.path("contractAgreementId").asText();
    }

    private JsonNode transferEndpoint(String agreement) {
        var consumer = lisbon.management();
        var transfer = consumer.startTransfer(madrid.protocolUrl().toString(), agreement, ManagementClient.ARROW_PULL);
        return consumer.awaitTransferEndpoint(transfer, Duration.ofSeconds(60));
    }

    private List<JsonNode> providerSide() {
        var all = new ArrayList<JsonNode>();
        madrid.management().queryNegotiations().forEach(all::add);
        return all;
    }

    private static List<String> negotiationIds(ManagementClient client) {
        var ids = new ArrayList<String>();
        client.queryNegotiations().forEach(n -> ids.add(n.path("@id").asText()));
        return ids;
    }

    private static List<String> states(List<JsonNode> negotiations) {
        return negotiations.stream().map(n -> n.path("state").asText() + " " + n.path("errorDetail").asText("")).toList();
    }

    private static void awaitState(ManagementClient client, String negotiation, String state) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!client.getNegotiation(negotiation).path("state").asText().equals(state)) {
            assertThat(System.nanoTime()).as("negotiation " + negotiation + " reaches " + state).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** SIGKILL of the lab's PostgreSQL server process (its postmaster), found by the pid file in its data directory. */
    private static void killPostmaster(LabProcess lab) throws IOException {
        var pidFile = Path.of(lab.settings().get("labspace.data.dir"), "postgres", "postmaster.pid");
        var pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        var postmaster = ProcessHandle.of(pid).orElseThrow();
        assertThat(postmaster.info().command().orElse("")).endsWith("postgres");
        postmaster.destroyForcibly();
    }

    private static void signal(LabProcess lab, String signal) {
        try {
            var kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(lab.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal).isTrue();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void resume(LabProcess lab) {
        if (lab.isAlive()) {
            signal(lab, "CONT");
        }
    }

    /** "STATUS BODY", or "timeout"/"error" when there was no answer within 5 s. */
    private String send(HttpRequest request) {
        try {
            var response = http.send(HttpRequest.newBuilder(request, (n, v) -> true).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            var body = response.body();
            return response.statusCode() + " " + (response.statusCode() == 200 ? "" : body.substring(0, Math.min(200, body.length())));
        } catch (java.net.http.HttpTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "error " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpRequest.Builder management(LabProcess lab, String path) {
        return HttpRequest.newBuilder(URI.create(lab.managementUrl() + path)).header("X-Api-Key", TestLab.API_KEY).header("Content-Type", "application/json");
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
