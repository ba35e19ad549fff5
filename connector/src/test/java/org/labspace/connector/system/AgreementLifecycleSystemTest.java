package org.labspace.connector.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;
import org.labspace.dataplane.client.ArrowStreamClient;
import org.labspace.dataplane.client.StreamClientException;
import org.labspace.dataplane.client.StreamQuery;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider's side of agreements with real labs: revocation refuses new transfers and cuts a running stream within
 * seconds, an agreement that expires cuts its stream too, a transfer cap refuses the transfer past it, and every
 * step is in the audit log.
 */
@Tag("runtime")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgreementLifecycleSystemTest {

    private static final String READINGS = """
            policy: readings
            allow:
              - name: members
                purpose: [research.non-commercial, research.evaluation]
                maxTransfers: 2
            """;
    private static final String SHORT = """
            policy: short-evaluation
            allow:
              - name: brief
                purpose: research.evaluation
                validFor: PT25S
            """;
    private static final int ROWS = 3_000_000;

    private Path dir;
    private LabProcess madrid;
    private LabProcess lisbon;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("labspace-agreements");
        var file = dir.resolve("data/readings.parquet");
        Files.createDirectories(file.getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT i::BIGINT AS id, (i % 50) / 2.0 AS pm25 FROM range(" + ROWS + ") t(i)) TO '" + file + "' (FORMAT parquet)");
        }
        var network = TestLab.network(dir);
        var madridConfig = TestLab.config(network, "lab-madrid", dir.resolve("madrid"), Map.of());
        var lisbonConfig = TestLab.config(network, "lab-lisbon", dir.resolve("lisbon"), Map.of());
        network.publish();
        madrid = TestLab.process("lab-madrid", TestLab.write(dir.resolve("madrid.properties"), madridConfig), dir).start(Duration.ofSeconds(180));
        lisbon = TestLab.process("lab-lisbon", TestLab.write(dir.resolve("lisbon.properties"), lisbonConfig), dir).start(Duration.ofSeconds(180));
        var provider = madrid.management();
        provider.post("/labspace/v1/policies", json.createObjectNode().put("file", "readings.yaml").put("source", READINGS));
        provider.post("/labspace/v1/policies", json.createObjectNode().put("file", "short.yaml").put("source", SHORT));
        provider.registerDataset(Map.<String, Object>of("id", "readings", "path", file.toString(), "title", "Readings", "policy", "readings"));
        provider.registerDataset(Map.<String, Object>of("id", "readings-brief", "path", file.toString(), "title", "Readings, briefly", "policy", "short-evaluation"));
    }

    @AfterAll
    void stop() {
        if (lisbon != null) {
            lisbon.close();
        }
        if (madrid != null) {
            madrid.close();
        }
        TestLab.delete(dir);
    }

    @Test
    void revocationRefusesNewTransfersAndCutsARunningStreamWithinSeconds() throws Exception {
        var agreement = agree("readings", "research.non-commercial");
        // 47 batches of 64,000 rows at 0.2 s each: still running when the agreement is revoked
        var slow = slowRead(agreement, 200);
        slow.firstBatch.await(60, TimeUnit.SECONDS);

        var provider = madrid.management();
        var granted = provider.get("/labspace/v1/agreements?consumer=lab-lisbon&dataset=readings");
        var providerAgreement = granted.get(0).path("id").asText();
        assertThat(granted.get(0).path("purpose").asText()).isEqualTo("research.non-commercial");
        assertThat(granted.get(0).path("state").asText()).isEqualTo("active");
        var revokedAt = System.nanoTime();
        var revoked = provider.post("/labspace/v1/agreements/" + providerAgreement + "/revoke", json.createObjectNode().put("reason", "ethics board withdrew approval"));
        assertThat(revoked.path("state").asText()).isEqualTo("revoked");

        assertThatThrownBy(() -> slow.done.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StreamClientException.class);
        assertThat((slow.endedAt.get() - revokedAt) / 1e9).as("seconds from revocation to the cut").isLessThan(5);
        assertThat(slow.rows.get()).isLessThan(ROWS);
        // the transfer's token is refused as revoked (its agreement's revocation, or the token revoked with the
        // transfer it ended): the researcher's client reads either as AgreementExpired
        assertThatThrownBy(() -> slow.client.schema()).isInstanceOf(StreamClientException.class).hasMessageContaining("revoked");

        var consumer = lisbon.management();
        var refused = consumer.startTransfer(madrid.protocolUrl().toString(), agreement, ManagementClient.ARROW_PULL);
        assertThatThrownBy(() -> consumer.awaitTransferEndpoint(refused, Duration.ofSeconds(60))).isInstanceOf(ManagementApiException.class);

        var audit = provider.get("/labspace/v1/audit?agreement=" + providerAgreement).toString();
        assertThat(audit).contains("\"kind\":\"revocation\"", "ethics board withdrew approval", "\"decision\":\"cut\"", "\"kind\":\"stream\"");
        var refusals = provider.get("/labspace/v1/audit?kind=transfer&decision=refused&participant=lab-lisbon").toString();
        assertThat(refusals).contains("was revoked by the provider");
        assertThatThrownBy(() -> provider.post("/labspace/v1/agreements/" + providerAgreement + "/revoke", json.createObjectNode()))
                .hasMessageContaining("a reason is required");
        assertThatThrownBy(() -> provider.post("/labspace/v1/agreements/no-such-agreement/revoke", json.createObjectNode().put("reason", "x")))
                .hasMessageContaining("no agreement 'no-such-agreement' at this lab");
    }

    @Test
    void theTransferCapRefusesTheTransferPastIt() {
        var agreement = agree("readings", "research.evaluation");
        var consumer = lisbon.management();
        for (var i = 0; i < 2; i++) {
            var transfer = consumer.startTransfer(madrid.protocolUrl().toString(), agreement, ManagementClient.ARROW_PULL);
            consumer.awaitTransferEndpoint(transfer, Duration.ofSeconds(60));
        }
        var third = consumer.startTransfer(madrid.protocolUrl().toString(), agreement, ManagementClient.ARROW_PULL);
        assertThatThrownBy(() -> consumer.awaitTransferEndpoint(third, Duration.ofSeconds(60))).isInstanceOf(ManagementApiException.class);
        var refusals = madrid.management().get("/labspace/v1/audit?kind=transfer&decision=refused").toString();
        assertThat(refusals).contains("all 2 transfers the agreement allows are used");
    }

    @Test
    void anExpiringAgreementCutsItsStreamAndRefusesNewTransfers() throws Exception {
        var agreement = agree("readings-brief", "research.evaluation");
        // 47 batches at 0.7 s each outlast the agreement's 25 seconds
        var slow = slowRead(agreement, 700);
        slow.firstBatch.await(60, TimeUnit.SECONDS);
        assertThatThrownBy(() -> slow.done.get(90, TimeUnit.SECONDS)).hasCauseInstanceOf(StreamClientException.class);
        assertThat(slow.rows.get()).isLessThan(ROWS);
        var consumer = lisbon.management();
        var late = consumer.startTransfer(madrid.protocolUrl().toString(), agreement, ManagementClient.ARROW_PULL);
        assertThatThrownBy(() -> consumer.awaitTransferEndpoint(late, Duration.ofSeconds(60))).isInstanceOf(ManagementApiException.class);
        var audit = madrid.management().get("/labspace/v1/audit?dataset=readings-brief").toString();
        assertThat(audit).contains("\"decision\":\"cut\"", "the agreement expired at");
    }

    /** Negotiates the dataset's offer for {@code purpose}; returns the consumer's agreement id. */
    private String agree(String datasetId, String purpose) {
        var negotiation = lisbon.management().negotiateFor(madrid.protocolUrl().toString(), madrid.participantId(), datasetId, purpose, Duration.ofSeconds(60));
        assertThat(negotiation.path("state").asText()).isEqualTo("FINALIZED");
        return negotiation.path("contractAgreementId").asText();
    }

    /** A consumer reading slowly (a pause per batch), so that the stream is still running when the test acts. */
    private SlowRead slowRead(String agreement, long pauseMillis) {
        var consumer = lisbon.management();
        var transfer = consumer.startTransfer(madrid.protocolUrl().toString(), agreement, ManagementClient.ARROW_PULL);
        var endpoint = consumer.awaitTransferEndpoint(transfer, Duration.ofSeconds(60));
        var client = new ArrowStreamClient(URI.create(endpoint.path("endpoint").asText()), endpoint.path("token").asText(), Duration.ofSeconds(30), 0);
        var read = new SlowRead();
        read.client = client;
        read.done = CompletableFuture.runAsync(() -> {
            try (var allocator = new RootAllocator()) {
                client.read(StreamQuery.ALL, allocator, batch -> {
                    read.rows.addAndGet(batch.getRowCount());
                    read.firstBatch.countDown();
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } finally {
                read.endedAt.set(System.nanoTime());
            }
        });
        return read;
    }

    private static final class SlowRead {
        final CountDownLatch firstBatch = new CountDownLatch(1);
        final AtomicLong rows = new AtomicLong();
        final AtomicLong endedAt = new AtomicLong();
        CompletableFuture<Void> done;
        ArrowStreamClient client;
    }
}
