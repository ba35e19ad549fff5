package org.labspace.connector.system;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.launch.LabProcess;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One real connector (own process, embedded PostgreSQL): its Management API refuses what it must refuse, answers bad
 * input with a 4xx that says what is wrong, and survives misbehaving peers (played by WireMock) with its state intact.
 */
@Tag("runtime")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementApiTest {

    private static final String JSON_LD_CONTEXT = "\"@context\":{\"@vocab\":\"https://w3id.org/edc/v0.0.1/ns/\"}";

    private Path dir;
    private LabProcess lab;
    private ManagementClient management;
    private WireMockServer garbagePeer;
    private String downPeer;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("labspace-management-api");
        garbagePeer = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        garbagePeer.start();
        garbagePeer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{not json")));
        downPeer = "http://127.0.0.1:" + TestLab.freePort() + "/down/protocol";
        var network = TestLab.network(dir);
        // registered peers, so that requests reach them and fail there
        network.peer("lab-garbage", "http://127.0.0.1:" + garbagePeer.port() + "/protocol");
        network.peer("lab-down", downPeer);
        var config = TestLab.config(network, "lab-test", dir.resolve("data"), Map.of(
                // a misbehaving peer should end a negotiation quickly in this test
                "edc.negotiation.consumer.send.retry.limit", "1",
                "edc.negotiation.consumer.send.retry.base-delay.ms", "100",
                "edc.core.retry.retries.max", "0",
                "edc.http.client.timeout.read", "5"));
        network.publish();
        lab = TestLab.process("lab-test", TestLab.write(dir.resolve("lab.properties"), config), dir).start(Duration.ofSeconds(180));
        management = lab.management();
        management.createAsset("kept", Map.of("name", "a dataset that must survive every failure below"),
                Map.of("type", "HttpData", "baseUrl", "https://data.example/kept"));
    }

    @AfterAll
    void stop() {
        if (garbagePeer != null) {
            garbagePeer.stop();
        }
        if (lab != null) {
            lab.close();
        }
        TestLab.delete(dir);
    }

    private HttpResponse<String> post(String path, String apiKey, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(lab.managementUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        // a fresh connection each time: after a refused request Jetty may close the connection as the JDK client
        // reuses it ("header parser received no bytes"), which is not what these tests are about
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void managementApi_requiresTheExactKey() throws Exception {
        var query = "{" + JSON_LD_CONTEXT + ",\"@type\":\"QuerySpec\"}";
        assertThat(post("/v3/assets/request", null, query).statusCode()).isEqualTo(401);
        assertThat(post("/v3/assets/request", "wrong-key-wrong-key-wrong", query).statusCode()).isEqualTo(401);
        assertThat(post("/v3/assets/request", TestLab.API_KEY.toUpperCase(), query).statusCode()).isEqualTo(401);
        assertThat(post("/v3/assets/request", TestLab.API_KEY, query).statusCode()).isEqualTo(200);
    }

    /** EDC's control API would start a data flow for any local caller: it needs the key the connector made at start. */
    @Test
    void controlApi_refusesCallersWithoutTheConnectorsOwnKey() throws Exception {
        var port = lab.settings().getInt("web.http.control.port");
        var control = "http://127.0.0.1:" + port + "/control";
        var flowStart = "{\"@context\":{\"@vocab\":\"https://w3id.org/edc/v0.0.1/ns/\"},\"@type\":\"DataFlowStartMessage\"}";
        for (var key : java.util.Arrays.asList(null, TestLab.API_KEY, "")) {
            var start = HttpRequest.newBuilder(URI.create(control + "/v1/dataflows")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(flowStart)).timeout(Duration.ofSeconds(10));
            var state = HttpRequest.newBuilder(URI.create(control + "/v1/dataflows/any/state")).timeout(Duration.ofSeconds(10));
            if (key != null) {
                start.header("X-Api-Key", key);
                state.header("X-Api-Key", key);
            }
            assertThat(HttpClient.newHttpClient().send(start.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("data flow start with key %s", key).isEqualTo(401);
            assertThat(HttpClient.newHttpClient().send(state.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("data flow state with key %s", key).isEqualTo(401);
        }
    }

    @Test
    void managementApi_listensOnLoopbackOnly() {
        var port = lab.managementUrl().getPort();
        var otherLoopback = HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + port + "/management/v3/assets/kept"))
                .header("X-Api-Key", TestLab.API_KEY).timeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> http.send(otherLoopback, HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    }

    @Test
    void malformedJson_isA400ThatSaysSo() throws Exception {
        var response = post("/v3/assets", TestLab.API_KEY, "{\"@id\": \"broken\", ");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isNotBlank();
    }

    @Test
    void assetWithoutDataAddress_isA400NamingTheField() throws Exception {
        var response = post("/v3/assets", TestLab.API_KEY, "{" + JSON_LD_CONTEXT + ",\"@id\":\"no-address\",\"properties\":{\"name\":\"x\"}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("dataAddress");
    }

    @Test
    void unknownIds_are404() {
        assertThatThrownBy(() -> management.getAsset("no-such-asset"))
                .isInstanceOfSatisfying(ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("no-such-asset");
        assertThatThrownBy(() -> management.getAgreement("no-such-agreement"))
                .isInstanceOfSatisfying(ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void duplicateAsset_is409_andTheFirstIsUnchanged() {
        assertThatThrownBy(() -> management.createAsset("kept", Map.of("name", "an impostor"),
                Map.of("type", "HttpData", "baseUrl", "https://data.example/other")))
                .isInstanceOfSatisfying(ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(management.getAsset("kept").path("properties").path("name").asText()).isEqualTo("a dataset that must survive every failure below");
    }

    @Test
    void catalogFromAPeerThatIsDown_isAnErrorNotAHang() {
        assertThatThrownBy(() -> management.requestCatalog(downPeer, "lab-down"))
                .isInstanceOfSatisfying(ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(502))
                .hasMessageContaining("HTTP 502: ");
        assertThat(management.getAsset("kept").path("@id").asText()).isEqualTo("kept");
    }

    @Test
    void catalogFromAPeerAnsweringGarbage_isAnError() {
        var peer = "http://127.0.0.1:" + garbagePeer.port() + "/protocol";
        assertThatThrownBy(() -> management.requestCatalog(peer, "lab-garbage"))
                .isInstanceOfSatisfying(ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(502))
                .hasMessageContaining("the peer answered with something that is not JSON: '{not json'");
        assertThat(management.getAsset("kept").path("@id").asText()).isEqualTo("kept");
    }

    @Test
    void catalogFromAnAddressNoMemberServes_isRefusedBeforeAnythingIsSent() {
        var stranger = "http://127.0.0.1:" + garbagePeer.port() + "/elsewhere";
        var before = garbagePeer.getAllServeEvents().size();
        assertThatThrownBy(() -> management.requestCatalog(stranger, "lab-stranger"))
                .isInstanceOf(ManagementApiException.class)
                .hasMessageContaining("Labspace only talks to registered labs");
        assertThat(garbagePeer.getAllServeEvents()).hasSize(before);
    }

    @Test
    void catalogNamingTheWrongLabForAnAddress_isRefused() {
        assertThatThrownBy(() -> management.requestCatalog("http://127.0.0.1:" + garbagePeer.port() + "/protocol", "lab-down"))
                .isInstanceOf(ManagementApiException.class)
                .hasMessageContaining("belongs to 'lab-garbage' in the registry, not to 'lab-down'");
    }

    @Test
    void negotiationWithAPeerAnsweringGarbage_endsTerminatedWithAReason() {
        var peer = "http://127.0.0.1:" + garbagePeer.port() + "/protocol";
        var id = management.negotiate(peer, "lab-garbage", "offer-1", "dataset-1");

        var negotiation = management.awaitNegotiation(id, Duration.ofSeconds(90));

        assertThat(negotiation.path("state").asText()).isEqualTo("TERMINATED");
        assertThat(negotiation.path("errorDetail").asText()).isNotBlank();
        assertThat(management.queryAgreements()).isEmpty();
        assertThat(garbagePeer.getAllServeEvents()).isNotEmpty();
    }

    @Test
    void dspVersionMetadata_isServed() throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(lab.protocolUrl() + "/.well-known/dspace-version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"2025-1\"").contains("/2025-1");
        assertThat(List.of(response.headers().firstValue("Content-Type").orElse(""))).anySatisfy(t -> assertThat(t).contains("json"));
    }
}
