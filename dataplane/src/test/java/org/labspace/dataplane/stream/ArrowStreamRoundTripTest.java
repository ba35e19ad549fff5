package org.labspace.dataplane.stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.labspace.dataplane.client.ArrowStreamClient;
import org.labspace.dataplane.client.StreamClientException;
import org.labspace.dataplane.client.StreamQuery;
import org.labspace.dataplane.filter.FilterParser;
import org.labspace.dataplane.restriction.Restrictions;
import org.labspace.dataplane.restriction.StreamPlanner;
import org.labspace.dataplane.restriction.StreamRequest;
import org.labspace.dataplane.scan.DuckDbParquetScanner;
import org.labspace.dataplane.scan.ParquetSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sender and the client over real HTTP (the JDK's server on loopback): every row arrives once and in order,
 * also when the connection breaks mid-stream, and a stream cut by its guard is never taken for a complete one.
 */
class ArrowStreamRoundTripTest {

    private static final int ROWS = 50_000;

    @TempDir
    static Path data;
    private static ParquetSource source;
    /** Large enough (about 60 MB as Arrow) that the sender blocks on a socket nobody reads. */
    private static ParquetSource bigSource;

    private final AtomicInteger requests = new AtomicInteger();
    /** Batches to send before dropping the connection, for the first request only; -1 never. */
    private volatile int breakAfterBatches = -1;
    /** Requests after the first that answer 503, as a connector that is away; Integer.MAX_VALUE for one that never comes back. */
    private volatile int unavailableRequests = 0;
    private volatile StreamGuard guard = StreamGuard.ALWAYS;
    private final java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(1);
    private HttpServer server;
    private DuckDbParquetScanner scanner;
    private BufferAllocator serverMemory;
    private BufferAllocator clientMemory;

    @BeforeAll
    static void writeData() throws Exception {
        var file = data.resolve("ids.parquet");
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT i::BIGINT AS id, 'row ' || i AS label FROM range(" + ROWS + ") t(i)) TO '" + file + "' (FORMAT parquet)");
        }
        source = new ParquetSource(List.of(file), false);
        var big = data.resolve("big.parquet");
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT i::BIGINT AS id, 'row ' || i AS label FROM range(3000000) t(i)) TO '" + big + "' (FORMAT parquet)");
        }
        bigSource = new ParquetSource(List.of(big), false);
    }

    @BeforeEach
    void start() throws IOException {
        scanner = new DuckDbParquetScanner(1, 128, 4_000);
        serverMemory = new RootAllocator();
        clientMemory = new RootAllocator();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data/v1/stream", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        scanner.close();
        clientMemory.close();
        serverMemory.close(); // a leaked batch on either side fails the test here
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyRowArrivesOnce_inOrder(Compression compression) {
        var ids = read(StreamQuery.ALL.withCompression(compression));

        assertThat(ids).containsExactlyElementsOf(LongStream.range(0, ROWS).boxed().toList());
    }

    @Test
    void brokenConnection_isResumedWhereItStopped() {
        breakAfterBatches = 3;

        var ids = new ArrayList<Long>();
        var result = client(2).read(StreamQuery.ALL.withColumns(List.of("id")), clientMemory, batch -> collect(batch, ids));

        assertThat(result.resumes()).isEqualTo(1);
        assertThat(requests.get()).isEqualTo(2);
        assertThat(ids).containsExactlyElementsOf(LongStream.range(0, ROWS).boxed().toList());
    }

    @Test
    void providerAwayAfterABreak_isWaitedFor_andEveryRowArrivesOnce() {
        breakAfterBatches = 3;
        unavailableRequests = 3;

        var ids = new ArrayList<Long>();
        var result = client(0, Duration.ofSeconds(20)).read(StreamQuery.ALL.withColumns(List.of("id")), clientMemory, batch -> collect(batch, ids));

        assertThat(requests.get()).isEqualTo(5);
        assertThat(result.resumes()).isEqualTo(4);
        assertThat(ids).containsExactlyElementsOf(LongStream.range(0, ROWS).boxed().toList());
    }

    @Test
    void providerThatDoesNotComeBack_failsTheReadAfterItsResumeTime() {
        breakAfterBatches = 3;
        unavailableRequests = Integer.MAX_VALUE;
        var started = System.nanoTime();

        assertThatThrownBy(() -> client(0, Duration.ofSeconds(2)).read(StreamQuery.ALL, clientMemory, batch -> {
        })).isInstanceOf(StreamClientException.class)
                .hasMessageContaining("the provider did not answer again for")
                .hasMessageContaining("HTTP 503");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(6);
    }

    @Test
    void resumedWindow_keepsTheLimit() {
        breakAfterBatches = 2;

        var ids = read(StreamQuery.ALL.withColumns(List.of("id")).withOffset(100).withLimit(20_000L));

        assertThat(ids).containsExactlyElementsOf(LongStream.range(100, 20_100).boxed().toList());
    }

    @Test
    void streamCutByItsGuard_isAnError_notAShortTable() {
        var batches = new AtomicInteger();
        guard = () -> {
            if (batches.incrementAndGet() > 3) {
                throw new StreamCutException("the transfer was ended");
            }
        };

        assertThatThrownBy(() -> client(0).read(StreamQuery.ALL, clientMemory, batch -> {
        })).isInstanceOf(StreamClientException.class).hasMessageContaining("broke after");
    }

    @Test
    void refusals_carryTheServersMessage() {
        assertThatThrownBy(() -> client(3).read(StreamQuery.ALL.withFilter("id >"), clientMemory, batch -> {
        })).isInstanceOf(StreamClientException.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("expected a value")
                .satisfies(e -> assertThat(((StreamClientException) e).status()).isEqualTo(400));
        assertThat(requests.get()).as("a refusal is not retried").isEqualTo(1);
    }

    @Test
    void clientThatHangsUp_stopsTheReader_andFreesItsMemory() throws Exception {
        var url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data/v1/stream?big=1").toURL();
        var connection = (java.net.HttpURLConnection) url.openConnection();
        try (var in = connection.getInputStream()) {
            assertThat(in.readNBytes(1024)).hasSize(1024);
        }
        connection.disconnect();

        assertThat(handled.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("the server's stream ended").isTrue();
        assertThat(serverMemory.getAllocatedMemory()).as("Arrow memory still held after the client left").isZero();
        assertThat(serverMemory.getChildAllocators()).isEmpty();
    }

    private List<Long> read(StreamQuery query) {
        var ids = new ArrayList<Long>();
        client(3).read(query, clientMemory, batch -> collect(batch, ids));
        return ids;
    }

    private static void collect(org.apache.arrow.vector.VectorSchemaRoot batch, List<Long> ids) {
        var id = (BigIntVector) batch.getVector("id");
        for (var i = 0; i < batch.getRowCount(); i++) {
            ids.add(id.get(i));
        }
    }

    private ArrowStreamClient client(int resumes) {
        return client(resumes, Duration.ZERO);
    }

    private ArrowStreamClient client(int resumes, Duration resumeFor) {
        return new ArrowStreamClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data"), "test-token", Duration.ofSeconds(20),
                resumes, resumeFor);
    }

    /** A minimal stream endpoint: the real planner, scanner and sender behind the JDK's HTTP server. */
    private void serve(HttpExchange exchange) throws IOException {
        try {
            respond(exchange);
        } finally {
            handled.countDown();
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        var number = requests.incrementAndGet();
        var first = number == 1;
        if (!first && number - 1 <= unavailableRequests) {
            var body = "{\"message\":\"the lab is starting\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
        var query = query(exchange.getRequestURI().getRawQuery());
        StreamRequest request;
        try {
            var columns = query.containsKey("columns") ? Arrays.asList(query.get("columns").split(",")) : null;
            request = new StreamRequest(columns, FilterParser.parse(query.get("filter")),
                    query.containsKey("limit") ? Long.valueOf(query.get("limit")) : null,
                    query.containsKey("offset") ? Long.parseLong(query.get("offset")) : 0);
        } catch (IllegalArgumentException e) {
            var body = ("{\"message\":\"" + e.getMessage().replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
        var plan = StreamPlanner.plan(List.of("id", "label"), Restrictions.NONE, request);
        exchange.sendResponseHeaders(200, 0);
        var limit = first ? breakAfterBatches : -1;
        try (var memory = serverMemory.newChildAllocator("stream", 0, Long.MAX_VALUE);
             var scan = scanner.open(query.containsKey("big") ? bigSource : source, plan, memory, "00")) {
            OutputStream out = exchange.getResponseBody();
            StreamGuard sendGuard = guard;
            if (limit >= 0) {
                var sent = new AtomicInteger();
                sendGuard = () -> {
                    if (sent.getAndIncrement() == limit) {
                        throw new StreamCutException("simulated network failure");
                    }
                };
            }
            ArrowStreamSender.send(scan, out, Compression.parse(query.get("compression")), sendGuard);
            exchange.close();
        } catch (StreamCutException e) {
            // the JDK server closes the connection when a handler fails: the chunked body ends without its last chunk,
            // as when a network fails or a lab cuts a stream
            throw new IOException("connection dropped: " + e.getMessage());
        }
    }

    private static Map<String, String> query(String raw) {
        var map = new HashMap<String, String>();
        if (raw != null) {
            for (var part : raw.split("&")) {
                var eq = part.indexOf('=');
                map.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }
}
