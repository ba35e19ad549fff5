package org.labspace.connector.client;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's error handling against a real HTTP server that answers the way EDC does (and the ways it should not). */
@Tag("runtime")
class ManagementClientTest {

    private HttpServer server;
    private final AtomicReference<String> lastApiKey = new AtomicReference<>();
    private final AtomicReference<String> lastBody = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/management/v3/assets/missing", exchange -> reply(exchange, 404,
                "[{\"message\":\"Object of type Asset with ID=missing was not found\",\"type\":\"ObjectNotFound\"}]"));
        server.createContext("/management/v3/assets/garbage", exchange -> reply(exchange, 200, "<html>not json</html>"));
        server.createContext("/management/v3/assets/request", exchange -> {
            lastApiKey.set(exchange.getRequestHeaders().getFirst("X-Api-Key"));
            lastBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!"right-key".equals(lastApiKey.get())) {
                reply(exchange, 401, "[{\"message\":\"Request could not be authenticated\"}]");
            } else {
                reply(exchange, 200, "[{\"@id\":\"a1\"},{\"@id\":\"a2\"}]");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ManagementClient client(String key) {
        return new ManagementClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/management/"), key, Duration.ofSeconds(5));
    }

    @Test
    void query_sendsKeyAndQuerySpec_andReadsTheList() {
        assertThat(client("right-key").queryAssets()).hasSize(2);
        assertThat(lastApiKey.get()).isEqualTo("right-key");
        assertThat(lastBody.get()).contains("\"@type\":\"QuerySpec\"");
    }

    @Test
    void wrongKey_isReportedAsSuch() {
        assertThatThrownBy(() -> client("wrong").queryAssets())
                .isInstanceOf(ManagementApiException.class)
                .hasMessageContaining("refused the API key (HTTP 401)")
                .satisfies(e -> assertThat(((ManagementApiException) e).status()).isEqualTo(401));
    }

    @Test
    void notFound_carriesEdcsMessage() {
        assertThatThrownBy(() -> client("right-key").getAsset("missing"))
                .hasMessageContaining("HTTP 404").hasMessageContaining("Asset with ID=missing was not found");
    }

    @Test
    void nonJsonAnswer_isAClearError() {
        assertThatThrownBy(() -> client("right-key").getAsset("garbage"))
                .hasMessageContaining("not JSON").hasMessageContaining("<html>");
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
