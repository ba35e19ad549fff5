package org.labspace.connector.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.web.jetty.JettyConfiguration;
import org.eclipse.edc.web.jetty.JettyService;
import org.eclipse.edc.web.jetty.PortMappingRegistryImpl;
import org.eclipse.edc.web.spi.configuration.PortMapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labspace.connector.launch.LocalLab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol API's retry of a peer's message over EDC's real Jetty, with a servlet playing EDC's DSP resources. */
class PeerMessageRetryTest {

    private static final String LEASED = "{\"@type\":\"ContractNegotiationError\",\"code\":\"409\",\"reason\":[\"Entity n-1 of kind edc_contract_negotiation is currently leased!\"]}";

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger busyFor = new AtomicInteger();
    private volatile int busyStatus = 409;
    private JettyService jetty;
    private URI messages;
    private final HttpClient http = HttpClient.newHttpClient();
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean(true);

    @BeforeEach
    void startProtocolApi() {
        var port = LocalLab.freePort();
        var mappings = new PortMappingRegistryImpl();
        mappings.register(new PortMapping("protocol", port, "/protocol"));
        // another context on the same server, which the filter must leave alone
        mappings.register(new PortMapping("management", LocalLab.freePort(), "/management"));
        jetty = new JettyService(new JettyConfiguration("password", "password"), new ConsoleMonitor(), mappings);
        jetty.addConnectorConfigurationCallback(connector -> {
            connector.setHost("127.0.0.1");
            if ("protocol".equals(connector.getName())) {
                PeerMessageRetry.install(connector.getServer(), "protocol", started::get);
            }
        });
        jetty.start();
        jetty.registerServlet("protocol", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                received.add(request.getMethod() + " " + new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                if (busyFor.getAndDecrement() > 0) {
                    response.setStatus(busyStatus);
                    if (busyStatus == 503) {
                        response.setHeader("Retry-After", "1");
                        response.setHeader(PeerMessageRetry.RETRY_HEADER, "early");
                    }
                    response.setContentType("application/json");
                    response.getWriter().write(busyStatus == 409 ? LEASED : "{\"message\":\"early\"}");
                    return;
                }
                response.setStatus(200);
                response.setContentType("application/json");
                response.setHeader("X-Step", "done");
                response.getOutputStream().write("{\"state\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        messages = URI.create("http://127.0.0.1:" + port + "/protocol/negotiations/n-1/events");
    }

    @AfterEach
    void stop() {
        jetty.shutdown();
    }

    @Test
    void aMessageThatMetALeaseConflict_isHandedOverAgain_andThePeerGetsTheFinalAnswer() throws Exception {
        busyFor.set(3);

        var answer = post("{\"event\":\"ACCEPTED\"}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"state\":\"ACCEPTED\"}");
        assertThat(answer.headers().firstValue("X-Step")).hasValue("done");
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(received).as("the same message, four times").hasSize(4).containsOnly("POST {\"event\":\"ACCEPTED\"}");
    }

    @Test
    void anEarlyMessageRefusal_isRetriedToo_andItsMarkerNeverReachesThePeer() throws Exception {
        busyStatus = 503;
        busyFor.set(2);

        var answer = post("{\"event\":\"FINALIZED\"}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue(PeerMessageRetry.RETRY_HEADER)).isEmpty();
        assertThat(received).hasSize(3);
    }

    @Test
    void aStepThatOutlastsTheWindow_givesTheRetryable503() throws Exception {
        busyFor.set(Integer.MAX_VALUE);
        var started = System.nanoTime();

        var answer = post("{\"event\":\"ACCEPTED\"}");

        var waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(answer.body()).contains("is currently leased");
        assertThat(waitedMillis).isBetween(PeerMessageRetry.WINDOW.toMillis() - 500, PeerMessageRetry.WINDOW.toMillis() + 3000);
        assertThat(received.size()).as("backoff, not a busy loop").isBetween(5, 40);
    }

    @Test
    void otherRefusals_andReads_passOnceAndUnchanged() throws Exception {
        busyStatus = 400;
        busyFor.set(1);
        assertThat(post("{}").statusCode()).isEqualTo(400);
        assertThat(received).hasSize(1);

        var read = http.send(HttpRequest.newBuilder(messages).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(received).hasSize(2);
    }

    @Test
    void whileTheConnectorStarts_everyRequestGetsARetryable503_notA404() throws Exception {
        started.set(false);

        var message = post("{\"event\":\"ACCEPTED\"}");
        var read = http.send(HttpRequest.newBuilder(messages).GET().build(), HttpResponse.BodyHandlers.ofString());

        for (var answer : List.of(message, read)) {
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(answer.body()).contains("starting");
        }
        assertThat(received).as("nothing reached EDC").isEmpty();

        started.set(true);
        assertThat(post("{\"event\":\"ACCEPTED\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void anOversizedMessage_isRefusedBeforeItIsBuffered() throws Exception {
        var answer = post("x".repeat(PeerMessageRetry.MAX_MESSAGE_BYTES + 1));

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(received).isEmpty();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(messages).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
