package org.labspace.connector.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.labspace.connector.launch.LabProcess;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers in the signed registry that answer slowly, with garbage, by resetting the connection, or not at all (WireMock,
 * and a socket that never reads). While a lab administrator's catalog request and a researcher's access request to
 * each of them are in flight, lab-lisbon's own APIs answer at once, and every request to a bad peer ends with a
 * clear error within a bound.
 */
@Tag("runtime")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MisbehavingPeerSystemTest {

    /** How long the slow peer takes to answer: longer than any request to it may take. */
    private static final int SLOW_MILLIS = 60_000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** The bound for this lab's own APIs while its requests to bad peers are in flight. */
    private static final Duration RESPONSIVE = Duration.ofSeconds(2);
    /**
     * The bound for a request to a bad peer to end with an error: one read timeout and some. EDC alone retried a
     * timed-out request 5 times, six read timeouts in all.
     */
    private static final Duration BAD_PEER_BOUND = READ_TIMEOUT.multipliedBy(2).plusSeconds(5);

    private static final String QUERY = "{\"@context\": {\"@vocab\": \"https://w3id.org/edc/v0.0.1/ns/\"}, \"@type\": \"QuerySpec\"}";

    private Path dir;
    private final List<WireMockServer> peers = new ArrayList<>();
    private ServerSocket silent;
    private LabProcess lisbon;
    private String researcherKey;
    private final Map<String, String> badPeers = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("labspace-bad-peers");
        // each peer on its own loopback address, as peers have their own hosts: EDC's HTTP client (OkHttp) runs at
        // most 5 requests per host at a time, so on one address the slow peers would queue the others' requests
        var slow = peer("127.0.0.2", aResponse().withStatus(200).withFixedDelay(SLOW_MILLIS).withHeader("Content-Type", "application/json").withBody("{}"));
        var garbage = peer("127.0.0.3", aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"@context\": [1, 2, \u0000 not json"));
        var reset = peer("127.0.0.4", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        var chunks = peer("127.0.0.5", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE));
        // accepts connections (the kernel's backlog) and never reads or answers
        silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.6"));

        badPeers.put("lab-slow", slow + "/protocol");
        badPeers.put("lab-garbage", garbage + "/protocol");
        badPeers.put("lab-reset", reset + "/protocol");
        badPeers.put("lab-chunks", chunks + "/protocol");
        badPeers.put("lab-silent", "http://127.0.0.6:" + silent.getLocalPort() + "/protocol");
        var network = TestLab.network(dir);
        badPeers.forEach(network::peer);
        var config = TestLab.config(network, "lab-lisbon", dir.resolve("lisbon"), Map.of(
                // a peer that takes longer than this to answer is too slow (EDC's default is 30 s; shorter keeps the
                // test short, and whether it is retried shows as well)
                "edc.http.client.timeout.read", String.valueOf(READ_TIMEOUT.toSeconds()),
                "labspace.catalog.peer-timeout", "PT8S"));
        network.publish();
        lisbon = TestLab.process("lab-lisbon", TestLab.write(dir.resolve("lisbon.properties"), config), dir).start(Duration.ofSeconds(180));
        researcherKey = lisbon.management().post("/labspace/v1/researchers", json.createObjectNode().put("name", "ana.silva")).path("key").asText();
        lisbon.management().createPolicy("open", lisbon.management().emptyPolicy());
    }

    @AfterAll
    void stop() throws IOException {
        if (lisbon != null) {
            lisbon.close();
        }
        peers.forEach(WireMockServer::stop);
        if (silent != null) {
            silent.close();
        }
        TestLab.delete(dir);
    }

    @Test
    void requestsToBadPeers_endInClearErrors_whileTheLabsOwnApisStayResponsive() throws Exception {
        var inFlight = new LinkedHashMap<String, CompletableFuture<Outcome>>();
        for (var peer : badPeers.entrySet()) {
            var catalogRequest = json.createObjectNode()
                    .put("@type", "CatalogRequest").put("counterPartyAddress", peer.getValue() + "/2025-1")
                    .put("counterPartyId", peer.getKey()).put("protocol", "dataspace-protocol-http:2025-1");
            catalogRequest.putObject("@context").put("@vocab", "https://w3id.org/edc/v0.0.1/ns/");
            inFlight.put("catalog of " + peer.getKey(), send(management("/v3/catalog/request").POST(body(catalogRequest.toString()))));
            inFlight.put("access to " + peer.getKey(), send(research("/v1/access")
                    .POST(body("{\"dataset\": \"" + peer.getKey() + "/air-quality\", \"purpose\": \"research.non-commercial\"}"))));
        }
        inFlight.put("federated crawl", send(management("/labspace/v1/federated/crawl").POST(body("{}"))));

        // the lab's own APIs, asked again and again while those requests are out
        var probes = new ArrayList<String>();
        var started = System.nanoTime();
        while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15)) {
            probes.add(timed("management: assets", management("/v3/assets/request").POST(body(QUERY))));
            probes.add(timed("management: datasets", management("/labspace/v1/datasets").GET()));
            probes.add(timed("management: negotiations", management("/v3/contractnegotiations/request").POST(body(QUERY))));
            probes.add(timed("management: federated search", management("/labspace/v1/federated/datasets?q=air").GET()));
            probes.add(timed("research: search", research("/v1/datasets?q=air").GET()));
            probes.add(timed("research: mine", research("/v1/mine").GET()));
            Thread.sleep(200);
        }
        var outcomes = new LinkedHashMap<String, Outcome>();
        for (var request : inFlight.entrySet()) {
            outcomes.put(request.getKey(), request.getValue().get(BAD_PEER_BOUND.toSeconds() + 10, TimeUnit.SECONDS));
        }
        System.out.println("requests to bad peers: " + outcomes);
        assertThat(failed(probes)).as("of " + probes.size() + " requests to the lab's own APIs").isEmpty();
        outcomes.forEach((what, outcome) -> {
            assertThat(outcome.seconds()).as(what + ": " + outcome).isLessThan(BAD_PEER_BOUND.toSeconds());
            if (what.equals("federated crawl")) {
                assertThat(outcome.status()).as(what + ": " + outcome).isEqualTo(200);
                return;
            }
            assertThat(outcome.status()).as(what + ": " + outcome).isEqualTo(502);
            // EDC's catalog request names the cause (a timeout, a reset, not JSON); the research API names the lab too
            assertThat(outcome.body()).as(what).contains("\"message\"");
            if (what.equals("catalog of lab-slow") || what.equals("catalog of lab-silent")) {
                assertThat(outcome.body()).as(what).contains("the peer did not answer within " + READ_TIMEOUT.toSeconds() + " s");
            }
            if (what.startsWith("access")) {
                assertThat(outcome.body()).as(what).contains(what.substring(what.indexOf("lab-")) + " did not answer");
            }
        });
    }

    /** A WireMock peer on its own loopback address answering every request with {@code answer}; returns its base URL. */
    private String peer(String address, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        var server = new WireMockServer(options().bindAddress(address).dynamicPort());
        server.start();
        peers.add(server);
        server.stubFor(any(anyUrl()).willReturn(answer));
        return "http://" + address + ":" + server.port();
    }

    private record Outcome(int status, String body, double seconds) {
        @Override
        public String toString() {
            return status + " in " + String.format("%.1f", seconds) + " s: " + body.substring(0, Math.min(300, body.length()));
        }
    }

    private CompletableFuture<Outcome> send(HttpRequest.Builder request) {
        var started = System.nanoTime();
        return http.sendAsync(request.timeout(Duration.ofSeconds(BAD_PEER_BOUND.toSeconds() + 5)).build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure != null
                        ? new Outcome(0, String.valueOf(failure), (System.nanoTime() - started) / 1e9)
                        : new Outcome(response.statusCode(), response.body(), (System.nanoTime() - started) / 1e9));
    }

    /** "ok ..." when the request answered 2xx within {@link #RESPONSIVE}, else what went wrong. */
    private String timed(String what, HttpRequest.Builder request) {
        var started = System.nanoTime();
        try {
            var response = http.send(request.timeout(RESPONSIVE).build(), HttpResponse.BodyHandlers.ofString());
            var millis = (System.nanoTime() - started) / 1_000_000;
            return (response.statusCode() / 100 == 2 && millis < RESPONSIVE.toMillis() ? "ok " : "FAILED ") + what + ": " + response.statusCode() + " in " + millis + " ms";
        } catch (IOException e) {
            return "FAILED " + what + ": " + e + " after " + (System.nanoTime() - started) / 1_000_000 + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpRequest.Builder management(String path) {
        return HttpRequest.newBuilder(URI.create(lisbon.managementUrl() + path)).header("X-Api-Key", TestLab.API_KEY)
                .header("Content-Type", "application/json");
    }

    private HttpRequest.Builder research(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lisbon.settings().get("web.http.research.port") + "/research" + path))
                .header("Authorization", "Bearer " + researcherKey).header("Content-Type", "application/json");
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    static List<String> failed(List<String> probes) {
        return probes.stream().filter(p -> !p.startsWith("ok")).toList();
    }
}
