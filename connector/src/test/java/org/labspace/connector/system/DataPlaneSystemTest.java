package org.labspace.connector.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;
import org.labspace.dataplane.client.ArrowStreamClient;
import org.labspace.dataplane.client.StreamClientException;
import org.labspace.dataplane.client.StreamQuery;
import org.labspace.dataplane.stream.Compression;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * lab-lisbon pulls lab-madrid's datasets through the Arrow data plane: catalog, negotiation, transfer, stream; the
 * agreement's restrictions applied on the provider; tokens refused when they should be; a running stream cut when
 * its transfer ends. Rows are checked against the formula that generated the Parquet file.
 */
@Tag("runtime")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataPlaneSystemTest {

    private static final int ROWS = 400_000;
    private static final String LS = "https://w3id.org/labspace/v1/";

    private Path dir;
    private LabProcess madrid;
    private LabProcess lisbon;
    private ManagementClient consumer;
    private BufferAllocator allocator;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("labspace-dataplane");
        var file = dir.resolve("data/readings.parquet");
        Files.createDirectories(file.getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT i::BIGINT AS id, (i % 10)::INTEGER AS station, (i % 50) / 2.0 AS pm25,"
                    + " CASE WHEN i % 3 = 0 THEN 'Lisboa' ELSE 'Madrid' END AS city, 'user' || i || '@lab.es' AS email, 'S' || i AS secret"
                    + " FROM range(" + ROWS + ") t(i)) TO '" + file + "' (FORMAT parquet)");
        }
        var network = TestLab.network(dir);
        // short-lived data tokens, so that expiry can be seen; every test starts its own transfer
        var madridConfig = TestLab.config(network, "lab-madrid", dir.resolve("madrid"), Map.of("labspace.dataplane.token-lifetime", "PT20S"));
        var lisbonConfig = TestLab.config(network, "lab-lisbon", dir.resolve("lisbon"), Map.of());
        network.publish();
        madrid = TestLab.process("lab-madrid", TestLab.write(dir.resolve("madrid.properties"), madridConfig), dir).start(Duration.ofSeconds(180));
        lisbon = TestLab.process("lab-lisbon", TestLab.write(dir.resolve("lisbon.properties"), lisbonConfig), dir).start(Duration.ofSeconds(180));
        consumer = lisbon.management();

        var provider = madrid.management();
        provider.createPolicy("members-only", provider.emptyPolicy());
        provider.createPolicy("open", provider.emptyPolicy());
        provider.createPolicy("restricted", restrictedPolicy());
        provider.registerDataset(registration("readings", file, "open"));
        provider.registerDataset(registration("readings-restricted", file, "restricted"));
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

    @BeforeEach
    void memory() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void leaks() {
        allocator.close();
    }

    /** Column allow and deny lists, a hashed column, a row filter and a row cap, as constraints of the agreement. */
    private static ObjectNode restrictedPolicy() {
        var policy = new ObjectMapper().createObjectNode();
        policy.put("@type", "Set");
        var permission = policy.putArray("permission").addObject();
        permission.put("action", "use");
        var constraints = permission.putArray("constraint");
        constraint(constraints.addObject(), "deniedColumns", "secret");
        constraint(constraints.addObject(), "maskedColumns", "email");
        constraint(constraints.addObject(), "rowFilter", "city = 'Madrid'");
        constraint(constraints.addObject(), "maxRowsPerTransfer", "3000");
        policy.putArray("prohibition");
        policy.putArray("obligation");
        return policy;
    }

    private static void constraint(ObjectNode constraint, String term, String value) {
        constraint.put("leftOperand", LS + term);
        constraint.put("operator", "eq");
        constraint.put("rightOperand", value);
    }

    private static Map<String, Object> registration(String id, Path path, String usagePolicy) {
        var body = new HashMap<String, Object>();
        body.put("id", id);
        body.put("path", path.toString());
        body.put("title", "Air quality readings " + id);
        body.put("description", "PM2.5 by station");
        body.put("keywords", List.of("air"));
        body.put("license", "CC-BY-4.0");
        body.put("accessPolicy", "members-only");
        body.put("usagePolicy", usagePolicy);
        return body;
    }

    /** Catalog, negotiation, transfer: the endpoint and token of a started ArrowStream-PULL transfer. */
    private JsonNode access(String datasetId) {
        var catalog = consumer.requestCatalog(madrid.protocolUrl().toString(), "lab-madrid");
        var dataset = ManagementClient.datasets(catalog).stream().filter(d -> d.path("@id").asText().equals(datasetId)).findFirst().orElseThrow();
        var offer = dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy");
        var negotiation = consumer.awaitNegotiation(consumer.negotiateOffer(madrid.protocolUrl().toString(), "lab-madrid", datasetId, offer),
                Duration.ofSeconds(60));
        assertThat(negotiation.path("state").asText()).as(negotiation.toString()).isEqualTo("FINALIZED");
        var transfer = consumer.startTransfer(madrid.protocolUrl().toString(), negotiation.path("contractAgreementId").asText(),
                ManagementClient.ARROW_PULL);
        var endpoint = (ObjectNode) consumer.awaitTransferEndpoint(transfer, Duration.ofSeconds(60));
        endpoint.put("consumerTransferId", transfer);
        return endpoint;
    }

    private static ArrowStreamClient client(JsonNode endpoint, int resumes) {
        return new ArrowStreamClient(URI.create(endpoint.path("endpoint").asText()), endpoint.path("token").asText(), Duration.ofSeconds(30), resumes);
    }

    @Test
    @Order(1)
    void lisbonPullsMadridsDataset_rowForRow() {
        var readings = access("readings");
        assertThat(readings.path("dataset").asText()).isEqualTo("readings");

        var info = client(readings, 0).info(StreamQuery.ALL);
        assertThat(info.path("rows").asLong()).isEqualTo(ROWS);
        assertThat(info.path("schema")).extracting(f -> f.path("name").asText()).containsExactly("id", "station", "pm25", "city", "email", "secret");
        // the schema alone, without counting
        assertThat(get(readings, "/v1/info?count=false")).startsWith("200").contains("\"schema\"").doesNotContain("\"rows\"");

        var next = new AtomicLong();
        var result = client(readings, 2).read(StreamQuery.ALL.withCompression(Compression.ZSTD), allocator, batch -> {
            for (var r = 0; r < batch.getRowCount(); r++) {
                var i = next.getAndIncrement();
                assertThat(((BigIntVector) batch.getVector("id")).get(r)).isEqualTo(i);
                assertThat(((IntVector) batch.getVector("station")).get(r)).isEqualTo((int) (i % 10));
                assertThat(((Float8Vector) batch.getVector("pm25")).get(r)).isEqualTo((i % 50) / 2.0);
                assertThat(text(batch, "city", r)).isEqualTo(i % 3 == 0 ? "Lisboa" : "Madrid");
                assertThat(text(batch, "secret", r)).isEqualTo("S" + i);
            }
        });
        assertThat(result.rows()).isEqualTo(ROWS);
        assertThat(next.get()).isEqualTo(ROWS);
    }

    @Test
    @Order(2)
    void projectionFilterAndWindow_arePushedToTheProvider() {
        var readings = access("readings");
        var query = StreamQuery.ALL.withColumns(List.of("pm25", "id")).withFilter("pm25 >= 20 AND station IN (1, 3)").withOffset(10).withLimit(500L);

        var ids = new ArrayList<Long>();
        var result = client(readings, 0).read(query, allocator, batch -> {
            assertThat(batch.getSchema().getFields()).extracting(f -> f.getName()).containsExactly("pm25", "id");
            for (var r = 0; r < batch.getRowCount(); r++) {
                ids.add(((BigIntVector) batch.getVector("id")).get(r));
            }
        });

        var expected = LongStream.range(0, ROWS).filter(i -> (i % 50) / 2.0 >= 20 && (i % 10 == 1 || i % 10 == 3)).skip(10).limit(500).boxed().toList();
        assertThat(ids).containsExactlyElementsOf(expected);
        assertThat(result.rows()).isEqualTo(500);
    }

    @Test
    @Order(3)
    void badRequests_getA400NamingTheProblem() throws Exception {
        var readings = access("readings");
        assertThatThrownBy(() -> client(readings, 3).read(StreamQuery.ALL.withColumns(List.of("nope")), allocator, b -> {
        })).isInstanceOf(StreamClientException.class).hasMessageContaining("HTTP 400").hasMessageContaining("no column 'nope'");
        assertThatThrownBy(() -> client(readings, 3).read(StreamQuery.ALL.withFilter("pm25 >> 3"), allocator, b -> {
        })).hasMessageContaining("HTTP 400").hasMessageContaining("position 7");
        assertThat(get(readings, "/v1/stream?limit=ten")).startsWith("400").contains("limit must be a whole number");
        assertThat(get(readings, "/v1/stream?compression=gzip")).startsWith("400").contains("not one of none, zstd");
        assertThat(get(readings, "/v1/stream?compression=lz4")).startsWith("400").contains("use zstd");
        assertThat(get(readings, "/v1/stream?colums=id")).as("a misspelt parameter is not ignored").startsWith("400")
                .contains("unknown query parameter colums");
        assertThat(get(readings, "/v1/info?compression=zstd")).startsWith("400").contains("this endpoint takes columns, count, dataset");
        assertThat(get(readings, "/v1/stream?limit=-1")).startsWith("400").contains("limit must not be negative");
        // found by fuzzing the endpoint (clients/python/tests/test_api_fuzz.py): a value the column cannot hold failed in DuckDB as a 500
        assertThat(get(readings, "/v1/stream?filter=pm25%20%3E%20'abc'")).startsWith("400").contains("column 'pm25' holds numbers");
        assertThat(get(readings, "/v1/info?filter=city%20%3D%205")).startsWith("400").contains("quote the value");
        assertThat(get(readings, "/v1/info?filter=pm25%20%3E%20'20'&count=true")).as("a quoted number still reads as one").startsWith("200");
        assertThat(get(readings, "/v1/info?count=maybe")).startsWith("400").contains("count must be true or false");
        assertThat(get(readings, "/v1/stream?offset=-1")).startsWith("400").contains("offset must not be negative");
        assertThat(get(readings, "/v1/stream?offset=99999999999999999999")).startsWith("400").contains("offset must be a whole number");
        assertThat(get(readings, "/v1/stream?limit=1e3")).startsWith("400").contains("limit must be a whole number");
        assertThat(get(readings, "/v1/info?offset=9223372036854775807")).as("an offset past the end is the end of the data")
                .startsWith("200").contains("\"rows\":0");
        var query = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(readings.path("endpoint").asText() + "/v1/stream"))
                .method("QUERY", java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(query.statusCode()).as("an unknown method was HttpServlet's 501").isEqualTo(405);
        assertThat(query.headers().firstValue("Allow")).hasValue("GET");
        assertThat(query.body()).contains("answers GET only");
        // the endpoint's description needs no token, and is the document kept in the repository
        assertThat(get(readings, "/v1/openapi.yaml", null)).startsWith("200 openapi: 3.0.3");
    }

    @Test
    @Order(4)
    void agreementRestrictions_areAppliedBeforeAnyByteLeaves() {
        var restricted = access("readings-restricted");

        var info = client(restricted, 0).info(StreamQuery.ALL);
        assertThat(info.path("schema")).extracting(f -> f.path("name").asText()).containsExactly("id", "station", "pm25", "city", "email");
        assertThat(info.path("rows").asLong()).isEqualTo(3000);
        assertThat(info.path("restrictions").toString()).contains("without columns secret").contains("column email hashed")
                .contains("rows where city = 'Madrid'").contains("at most 3000 rows");

        var ids = new ArrayList<Long>();
        var emails = new HashMap<Long, String>();
        client(restricted, 0).read(StreamQuery.ALL, allocator, batch -> {
            assertThat(batch.getSchema().getFields()).as("a denied column never appears").noneMatch(f -> f.getName().equals("secret"));
            for (var r = 0; r < batch.getRowCount(); r++) {
                var id = ((BigIntVector) batch.getVector("id")).get(r);
                ids.add(id);
                assertThat(text(batch, "city", r)).isEqualTo("Madrid");
                emails.put(id, text(batch, "email", r));
            }
        });
        assertThat(ids).containsExactlyElementsOf(LongStream.range(0, ROWS).filter(i -> i % 3 != 0).limit(3000).boxed().toList());
        assertThat(emails.values()).allSatisfy(e -> assertThat(e).matches("[0-9a-f]{64}"));
        assertThat(emails.values()).doesNotContain("user1@lab.es");

        assertThatThrownBy(() -> client(restricted, 3).read(StreamQuery.ALL.withColumns(List.of("id", "secret")), allocator, b -> {
        })).isInstanceOf(StreamClientException.class).hasMessageContaining("HTTP 403")
                .hasMessageContaining("column 'secret' is not allowed by the agreement");
        assertThatThrownBy(() -> client(restricted, 3).read(StreamQuery.ALL.withFilter("email = 'user1@lab.es'"), allocator, b -> {
        })).hasMessageContaining("HTTP 403").hasMessageContaining("masked");
        assertThat(client(restricted, 0).info(StreamQuery.ALL.withOffset(2990)).path("rows").asLong()).as("the cap holds across offsets")
                .isEqualTo(10);
    }

    @Test
    @Order(5)
    void badTokens_areRefusedWithAReason() {
        var readings = access("readings");
        assertThat(get(readings, "/v1/info", null)).startsWith("401").contains("no token");
        assertThat(get(readings, "/v1/info", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")).startsWith("401").contains("token refused");
        assertThat(get(readings, "/v1/info", "Bearer not-a-token")).startsWith("401");
        assertThat(get(readings, "/v1/info?dataset=readings-restricted")).startsWith("403").contains("this token is for dataset 'readings'");
    }

    @Test
    @Order(6)
    void endingTheTransfer_cutsItsRunningStream_andRevokesTheToken() throws Exception {
        var endpoint = access("readings");
        var received = new AtomicLong();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        var reader = new Thread(() -> {
            try (var memory = new RootAllocator()) {
                client(endpoint, 2).read(StreamQuery.ALL, memory, batch -> {
                    received.addAndGet(batch.getRowCount());
                    sleep(1_500); // a slow consumer: the provider blocks on the socket meanwhile
                });
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        reader.start();
        while (received.get() == 0 && reader.isAlive()) {
            Thread.sleep(20);
        }
        var cutAt = System.nanoTime();
        consumer.terminateTransfer(endpoint.path("consumerTransferId").asText(), "researcher cancelled");
        reader.join(30_000);

        assertThat(reader.isAlive()).isFalse();
        assertThat(failure.get()).as("the read must fail, not end short").isInstanceOf(StreamClientException.class);
        assertThat(received.get()).isLessThan(ROWS);
        assertThat((System.nanoTime() - cutAt) / 1e9).as("seconds from terminate to the read failing").isLessThan(15);
        assertThat(get(endpoint, "/v1/info")).startsWith("401").contains("token revoked");
    }

    @Test
    @Order(7)
    void anExpiredToken_opensNoNewStream() throws Exception {
        var endpoint = access("readings");
        assertThat(get(endpoint, "/v1/info")).startsWith("200");

        Thread.sleep(21_000);

        assertThat(get(endpoint, "/v1/info")).startsWith("401").contains("token expired at");
    }

    /**
     * More requests at once than the lab's database pool has connections (EDC's default is 8), twice, so that many
     * server threads serve one: each must answer, and the lab must still negotiate afterwards. A dataset lookup outside
     * a transaction once kept a pooled connection on every server thread that served a stream, until the pool ran dry
     * and every stream, negotiation and state machine of the lab waited for a connection for ever.
     */
    @Test
    @Order(8)
    void concurrentRequests_beyondTheDatabasePool_allAnswer() throws Exception {
        var readings = access("readings");
        for (var round = 0; round < 2; round++) {
            var statuses = java.util.Collections.synchronizedList(new ArrayList<String>());
            var threads = new ArrayList<Thread>();
            for (var i = 0; i < 24; i++) {
                var thread = new Thread(() -> statuses.add(getWithin(readings, "/v1/info?count=false", Duration.ofSeconds(30))));
                thread.start();
                threads.add(thread);
            }
            for (var thread : threads) {
                thread.join(60_000);
            }
            assertThat(statuses).hasSize(24).allSatisfy(s -> assertThat(s).startsWith("200"));
        }
        assertThat(access("readings").path("token").asText()).isNotEmpty();
    }

    /** Status code, or the failure when there was no answer in time. */
    private static String getWithin(JsonNode endpoint, String pathAndQuery, Duration timeout) {
        try {
            var connection = (HttpURLConnection) URI.create(endpoint.path("endpoint").asText() + pathAndQuery).toURL().openConnection();
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setRequestProperty("Authorization", "Bearer " + endpoint.path("token").asText());
            var status = connection.getResponseCode();
            connection.disconnect();
            return String.valueOf(status);
        } catch (java.io.IOException e) {
            return "no answer: " + e;
        }
    }

    private static String text(VectorSchemaRoot batch, String column, int row) {
        var vector = (VarCharVector) batch.getVector(column);
        return vector.isNull(row) ? null : new String(vector.get(row), StandardCharsets.UTF_8);
    }

    private static String get(JsonNode endpoint, String pathAndQuery) {
        return get(endpoint, pathAndQuery, "Bearer " + endpoint.path("token").asText());
    }

    /** Status code and body, e.g. "401 {...}". */
    private static String get(JsonNode endpoint, String pathAndQuery, String authorization) {
        try {
            var connection = (HttpURLConnection) URI.create(endpoint.path("endpoint").asText() + pathAndQuery).toURL().openConnection();
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            var status = connection.getResponseCode();
            var stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            var body = stream == null ? "" : new String(stream.readNBytes(4096), StandardCharsets.UTF_8);
            connection.disconnect();
            return status + " " + body;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
