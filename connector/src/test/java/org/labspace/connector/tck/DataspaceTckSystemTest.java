package org.labspace.connector.tck;

import org.eclipse.dataspacetck.core.system.ConsoleMonitor;
import org.eclipse.dataspacetck.dsp.system.DspSystemLauncher;
import org.eclipse.dataspacetck.runtime.TckRuntime;
import org.eclipse.edc.tck.dsp.identity.TckIdentityExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.labspace.connector.launch.LabProcess;
import org.labspace.connector.launch.LocalLab;
import org.labspace.connector.launch.LocalNetwork;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Eclipse Dataspace TCK (Dataspace Protocol 2025-1) against a lab with every Labspace extension loaded. The
 * TCK plays the other connector over real HTTP; EDC's tck-extension seeds the datasets and scripts the behaviour its
 * scenarios expect; {@link TckIdentityProfile} lets the TCK in with its static header, and only the test runs it.
 */
@Tag("runtime")
class DataspaceTckSystemTest {

    /** The TCK's own count of enabled mandatory tests for DSP 2025-1 (two transfer groups are disabled by the TCK). */
    private static final int MANDATORY_TESTS = 65;
    private static final String TCK_AUTHORIZATION = "{\"region\": \"any\", \"audience\": \"any\", \"clientId\":\"any\"}";
    private static final String PARTICIPANT = "lab-tck";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void everyMandatoryScenarioPasses() throws Exception {
        var network = new LocalNetwork(dir.resolve("network"), "tck-network");
        var webhookPort = LocalLab.freePort();
        var config = network.lab(PARTICIPANT, dir.resolve("lab"), "tck-management-key-0123456789", Map.of(
                // DataAssembly seeds everything under this participant context
                "edc.participant.context.id", "participantContextId",
                "web.http.tck.port", String.valueOf(webhookPort),
                "web.http.tck.path", "/tck",
                // EDC's tck-extension scripts its side with an event listener that acts 100 ms after each event and a
                // guard that saves its own copy of an entity 500 ms after it held it back: it assumes EDC's polling
                // state machines, which look about once a second. Labspace's event-driven waits look within
                // milliseconds, and the script's late saves then put back stale states (CN_C:01-01 saw its FINALIZED
                // negotiation written back as AGREED). The TCK runs the state machines in EDC's polling mode;
                // every other Labspace extension runs as in a lab.
                "labspace.state-machine.event-driven", System.getProperty("labspace.tck.event-driven", "false"),
                TckIdentityProfile.AUTHORIZATION, TCK_AUTHORIZATION));
        network.publish();
        var configFile = LocalLab.write(dir.resolve("lab-tck.properties"), config);

        // the lab's log outlives the test's folder: the TCK's messages say what failed, the log says why
        var log = Path.of("target", "tck", "lab-tck.log").toAbsolutePath();
        Files.deleteIfExists(log);
        try (var lab = LabProcess.of(PARTICIPANT, configFile, Map.of(), log)
                .withLauncher(TckLab.class.getName(), List.of(codeSource(TckIdentityExtension.class), codeSource(TckLab.class)))
                .withJvmOptions(List.of("-Dlabspace.tck.log-level=" + System.getProperty("labspace.tck.log-level", "INFO")))) {
            lab.start(Duration.ofSeconds(180));
            assertThat(Files.readString(lab.logFile())).as("the lab runs the test identity profile").contains("TEST IDENTITY PROFILE");
            assertWrongHeaderRefused(lab);

            var properties = tckProperties(lab, webhookPort);
            var summary = TckRuntime.Builder.newInstance()
                    .properties(properties)
                    .launcher(DspSystemLauncher.class)
                    .monitor(new ConsoleMonitor(false, false))
                    // e.g. -Dlabspace.tck.scenarios='TP:03.*' runs some scenarios only, when looking into one
                    .displayNameMatching(name -> name.matches(System.getProperty("labspace.tck.scenarios", ".*")))
                    .addPackage("org.eclipse.dataspacetck.dsp.verification")
                    .build()
                    .execute();

            var failures = summary.getFailures().stream()
                    .map(f -> "- " + f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                    .toList();
            assertThat(failures).as("TCK scenarios that failed (lab log: %s)", lab.logFile()).isEmpty();
            if (System.getProperty("labspace.tck.scenarios") == null) {
                assertThat(summary.getTestsSucceededCount()).as(describe(summary)).isEqualTo(MANDATORY_TESTS);
            }
        }
    }

    /** The profile accepts the TCK's header and nothing else: a caller without it gets the protocol's 401. */
    private static void assertWrongHeaderRefused(LabProcess lab) throws Exception {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (var header : List.of(TCK_AUTHORIZATION.substring(1), "Bearer anything")) {
            var request = HttpRequest.newBuilder(URI.create(lab.protocolUrl() + "/2025-1/catalog/datasets/CAT0101"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", header)
                    .GET()
                    .build();
            var response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("dataset request with Authorization '%s': %s", header, response.body()).isEqualTo(401);
        }
    }

    private Map<String, String> tckProperties(LabProcess lab, int webhookPort) throws IOException {
        var properties = new Properties();
        try (InputStream data = DataspaceTckSystemTest.class.getResourceAsStream("/tck/dsp-tck-data.properties")) {
            properties.load(data);
        }
        var values = new HashMap<String, String>();
        properties.forEach((k, v) -> values.put(k.toString(), v.toString()));
        var callbackPort = LocalLab.freePort();
        var protocol = lab.protocolUrl().toString();
        values.put("dataspacetck.dsp.local.connector", "false");
        values.put("dataspacetck.debug", System.getProperty("labspace.tck.debug", "false"));
        values.put("dataspacetck.dsp.connector.agent.id", PARTICIPANT);
        values.put("dataspacetck.dsp.connector.http.url", protocol + "/2025-1");
        values.put("dataspacetck.dsp.connector.http.base.url", protocol);
        values.put("dataspacetck.dsp.connector.http.headers.authorization", TCK_AUTHORIZATION);
        values.put("dataspacetck.dsp.connector.negotiation.initiate.url", "http://127.0.0.1:" + webhookPort + "/tck/negotiations/requests");
        values.put("dataspacetck.dsp.connector.transfer.initiate.url", "http://127.0.0.1:" + webhookPort + "/tck/transfers/requests");
        values.put("dataspacetck.dsp.default.wait", "15");
        values.put("dataspacetck.host", "127.0.0.1");
        values.put("dataspacetck.port", String.valueOf(callbackPort));
        values.put("dataspacetck.callback.address", "http://127.0.0.1:" + callbackPort);
        // EDC's small JSON-LD context for its own terms, from EDC's json-ld jar on this class path
        var context = dir.resolve("dspace-edc-context-v1.jsonld");
        try (InputStream document = DataspaceTckSystemTest.class.getResourceAsStream("/document/dspace-edc-context-v1.jsonld")) {
            assertThat(document).as("EDC's json-ld jar on the test class path").isNotNull();
            Files.copy(document, context);
        }
        values.put("dataspacetck.dsp.jsonld.context.edc.path", context.toString());
        values.put("dataspacetck.dsp.jsonld.context.edc.uri", "https://w3id.org/edc/dspace/v0.0.1");
        return values;
    }

    private static String describe(TestExecutionSummary summary) {
        return "TCK tests found %d, succeeded %d, failed %d, skipped %d, aborted %d".formatted(summary.getTestsFoundCount(),
                summary.getTestsSucceededCount(), summary.getTestsFailedCount(), summary.getTestsSkippedCount(), summary.getTestsAbortedCount());
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
