package org.labspace.connector.system;

import org.labspace.connector.launch.LabProcess;
import org.labspace.connector.launch.LocalLab;
import org.labspace.connector.launch.LocalNetwork;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builds a test lab's config on free loopback ports in a temporary folder, and runs the built connector jar. */
final class TestLab {

    static final String API_KEY = "test-management-key-0123456789";

    private TestLab() {
    }

    static int freePort() {
        return LocalLab.freePort();
    }

    /** A fresh network (operator key, empty registry) under {@code dir/network}. */
    static LocalNetwork network(Path dir) {
        return new LocalNetwork(dir.resolve("network"), "test-network");
    }

    /** A complete config for a member of {@code network} on free ports; publish the network before starting it. */
    static Map<String, String> config(LocalNetwork network, String participantId, Path dataDir, Map<String, String> extra) {
        return network.lab(participantId, dataDir, API_KEY, extra);
    }

    /** A complete config for a lab alone in its own, published network. */
    static Map<String, String> soloConfig(Path dir, String participantId, Path dataDir, Map<String, String> extra) {
        var network = network(dir);
        var config = config(network, participantId, dataDir, extra);
        network.publish();
        return config;
    }

    static Path write(Path file, Map<String, String> values) {
        return LocalLab.write(file, values);
    }

    /** Removes a test's folder after its labs stopped; what cannot be removed is left for the OS to clean. */
    static void delete(Path dir) {
        if (dir == null || !java.nio.file.Files.exists(dir) || Boolean.getBoolean("labspace.test.keep")) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    static LabProcess process(String name, Path configFile, Path logDir) {
        return LabProcess.of(name, configFile, Map.of(), logDir.resolve(name + ".log"));
    }

    /** The outcome of running {@code bin/labspace}-equivalent {@code java -jar ... args} to the end. */
    record Run(int exitCode, String output) {
    }

    static Run runJar(long timeoutSeconds, String... args) {
        try {
            var command = new ArrayList<String>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-XX:+UseSerialGC");
            command.add("-jar");
            command.add(LabProcess.connectorJar().toString());
            command.addAll(List.of(args));
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new StringBuilder();
            var reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes()));
                } catch (IOException ignored) {
                    // process ended
                }
            });
            reader.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                reader.join(5000);
                throw new AssertionError("connector did not exit within " + timeoutSeconds + " s:\n" + output);
            }
            reader.join(5000);
            return new Run(process.exitValue(), output.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
