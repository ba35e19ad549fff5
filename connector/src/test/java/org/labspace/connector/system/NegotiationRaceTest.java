package org.labspace.connector.system;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labspace.connector.client.ManagementClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With event-driven state machines a peer's next message often arrives while the entity is still leased by the
 * step that sent the previous one. Many quick negotiations back to back must all finalize: none may be terminated
 * by a momentary lease conflict. Concurrent negotiations between the same two labs can still hit EDC 0.15.1's
 * stale write on a refused message (see docs/architecture.md); that is open work. Even back to back, a loaded
 * machine still loses one now and then, so this is a soak test run by bench/negotiation-soak, not in CI.
 */
@Tag("soak")
class NegotiationRaceTest {

    // kept when the test fails, for the connectors' logs
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private static String severe(Path log) {
        try {
            return String.join("\n", Files.readAllLines(log).stream().filter(l -> l.startsWith("SEVERE") || l.startsWith("WARNING") && l.contains("ContractNegotiation")).limit(40).toList());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void manyQuickNegotiations_allFinalize() throws Exception {
        var network = TestLab.network(dir);
        var providerConfig = TestLab.config(network, "lab-provider", dir.resolve("provider"), Map.of());
        var consumerConfig = TestLab.config(network, "lab-consumer", dir.resolve("consumer"), Map.of());
        network.publish();
        try (var provider = TestLab.process("lab-provider", TestLab.write(dir.resolve("provider.properties"), providerConfig), dir).start(Duration.ofSeconds(180));
             var consumer = TestLab.process("lab-consumer", TestLab.write(dir.resolve("consumer.properties"), consumerConfig), dir).start(Duration.ofSeconds(180))) {
            var p = provider.management();
            p.createAsset("race-dataset", Map.of("name", "race"), Map.of("type", "HttpData", "baseUrl", "https://data.example/race"));
            p.createPolicy("race-policy", p.emptyPolicy());
            p.createContractDefinition("race-offer", "race-policy", "race-policy", List.of("race-dataset"));
            var c = consumer.management();
            var offer = ManagementClient.firstOfferId(ManagementClient.datasets(
                    c.requestCatalog(provider.protocolUrl().toString(), "lab-provider")).get(0));

            var states = new ArrayList<String>();
            var pool = Executors.newFixedThreadPool(1);
            try {
                var futures = new ArrayList<Future<String>>();
                for (int i = 0; i < 40; i++) {
                    futures.add(pool.submit(() -> {
                        var id = c.negotiate(provider.protocolUrl().toString(), "lab-provider", offer, "race-dataset");
                        var negotiation = c.awaitNegotiation(id, Duration.ofSeconds(90));
                        return negotiation.path("state").asText() + " " + negotiation.path("errorDetail").asText("");
                    }));
                }
                for (var future : futures) {
                    try {
                        states.add(future.get().trim());
                    } catch (java.util.concurrent.ExecutionException e) {
                        states.add(e.getCause().getMessage());
                    }
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(states).as(() -> "every negotiation finalizes; provider errors:\n" + severe(provider.logFile()) + "\nconsumer errors:\n" + severe(consumer.logFile()))
                    .allMatch("FINALIZED"::equals);
            assertThat(c.queryAgreements()).hasSize(40);
            assertThat(Files.readString(provider.logFile())).doesNotContain("Fatal error occurred");
        }
    }
}
