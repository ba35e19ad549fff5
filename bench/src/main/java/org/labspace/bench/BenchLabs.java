package org.labspace.bench;

import org.labspace.connector.launch.LabProcess;
import org.labspace.connector.launch.LocalLab;
import org.labspace.connector.launch.LocalNetwork;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A provider and a consumer lab on this machine, in a network of their own, as the benchmarks run them: each its
 * own process with its embedded PostgreSQL; the provider held to a 256 MB heap. Closing stops both.
 */
record BenchLabs(LabProcess provider, LabProcess consumer) implements AutoCloseable {

    static final String API_KEY = "bench-management-key-0123456789";

    static BenchLabs start(Path dir, Map<String, String> providerSettings) {
        return start(dir, providerSettings, Map.of());
    }

    static BenchLabs start(Path dir, Map<String, String> providerSettings, Map<String, String> consumerSettings) {
        var network = new LocalNetwork(dir.resolve("network"), "bench-network");
        var providerConfig = network.lab("bench-provider", dir.resolve("provider"), API_KEY, providerSettings);
        var consumerConfig = network.lab("bench-consumer", dir.resolve("consumer"), API_KEY, consumerSettings);
        network.publish();
        var provider = LabProcess.of("bench-provider", LocalLab.write(dir.resolve("provider.properties"), providerConfig), Map.of(),
                dir.resolve("provider.log")).withJvmOptions(List.of("-Xmx256m")).start(Duration.ofSeconds(180));
        try {
            var consumer = LabProcess.of("bench-consumer", LocalLab.write(dir.resolve("consumer.properties"), consumerConfig), Map.of(),
                    dir.resolve("consumer.log")).start(Duration.ofSeconds(180));
            return new BenchLabs(provider, consumer);
        } catch (RuntimeException e) {
            provider.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } finally {
            provider.close();
        }
    }
}
