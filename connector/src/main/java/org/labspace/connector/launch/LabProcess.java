package org.labspace.connector.launch;

import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.config.LabConfig;
import org.labspace.connector.config.LabEndpoints;
import org.labspace.connector.config.LabSettings;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A lab connector running as its own process from the built jar, as a lab would run it. Used by the sample and by
 * the system tests: start it, talk to its Management API, stop it with SIGTERM like an operator would.
 */
public final class LabProcess implements AutoCloseable {

    /** System property naming the connector jar; else it is looked up under {@code connector/target}. */
    public static final String JAR_PROPERTY = "labspace.connector.jar";

    private final String name;
    private final Path configFile;
    private final Map<String, String> overrides;
    private final Path logFile;
    private final List<String> jvmOptions;
    private final List<Path> extraClasspath = new ArrayList<>();
    private String mainClass;
    private final LabConfig settings;
    private Process process;

    private LabProcess(String name, Path configFile, Map<String, String> overrides, Path logFile) {
        this.name = name;
        this.configFile = configFile;
        this.overrides = new LinkedHashMap<>(overrides);
        this.logFile = logFile;
        this.jvmOptions = new ArrayList<>();
        var properties = new Properties();
        properties.putAll(overrides);
        this.settings = LabConfig.load(configFile, Map.of(), properties);
    }

    /**
     * Describes a connector process; nothing starts until {@link #start(Duration)}.
     *
     * @param configFile the lab's properties file
     * @param overrides  settings given as {@code -Dkey=value}, which win over the file
     * @param logFile    where the connector's output goes
     */
    public static LabProcess of(String name, Path configFile, Map<String, String> overrides, Path logFile) {
        return new LabProcess(name, configFile, overrides, logFile);
    }

    public String name() {
        return name;
    }

    /** JVM options for the next start, e.g. a heap limit a benchmark wants to hold the connector to. */
    public LabProcess withJvmOptions(List<String> options) {
        jvmOptions.clear();
        jvmOptions.addAll(options);
        return this;
    }

    /**
     * Runs {@code mainClass} with the connector jar and {@code extraClasspath} instead of the jar's own entry point;
     * the main class gets {@code run --config FILE} like {@code labspace}. For test launchers only.
     */
    public LabProcess withLauncher(String mainClass, List<Path> extraClasspath) {
        this.mainClass = mainClass;
        this.extraClasspath.clear();
        this.extraClasspath.addAll(extraClasspath);
        return this;
    }

    public LabConfig settings() {
        return settings;
    }

    public String participantId() {
        return settings.get(LabSettings.PARTICIPANT_ID);
    }

    public URI managementUrl() {
        return LabEndpoints.management(settings);
    }

    public URI protocolUrl() {
        return LabEndpoints.protocol(settings);
    }

    public ManagementClient management() {
        return ManagementClient.forLab(settings, Duration.ofSeconds(30));
    }

    /**
     * Starts the process and waits until its Management API answers.
     *
     * @throws IllegalStateException when the connector exits or does not answer in time; the message carries the
     *                               end of its log
     */
    public LabProcess start(Duration readyWithin) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            var command = new ArrayList<String>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // several connectors share two cores here: a serial collector keeps each one's threads and memory small
            command.add("-XX:+UseSerialGC");
            command.addAll(jvmOptions);
            overrides.forEach((k, v) -> command.add("-D" + k + "=" + v));
            if (mainClass == null) {
                command.addAll(List.of("-jar", connectorJar().toString()));
            } else {
                var classpath = new ArrayList<String>();
                classpath.add(connectorJar().toString());
                extraClasspath.forEach(p -> classpath.add(p.toString()));
                command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classpath), mainClass));
            }
            command.addAll(List.of("run", "--config", configFile.toString()));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
        awaitReady(readyWithin);
        return this;
    }

    private void awaitReady(Duration within) {
        var deadline = System.nanoTime() + within.toNanos();
        var client = ManagementClient.forLab(settings, Duration.ofSeconds(5));
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before it was ready:\n" + logTail(30));
            }
            try {
                client.queryAssets();
                return;
            } catch (ManagementApiException e) {
                // Jetty listens before the API's routes are registered: only a refused key is final
                if (e.status() == 401 || e.status() == 403) {
                    throw new IllegalStateException(name + " refused the API key from its own config: " + e.getMessage());
                }
            }
            if (System.nanoTime() > deadline) {
                stop(Duration.ofSeconds(10));
                throw new IllegalStateException(name + " was not ready after " + within.toSeconds() + " s:\n" + logTail(30));
            }
            sleep(200);
        }
    }

    /** SIGTERM, as an operator would stop it; forcibly after {@code grace}. Returns the exit code. */
    public int stop(Duration grace) {
        if (process == null) {
            return 0;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    /**
     * SIGKILL, as a crash or the kernel's out-of-memory killer would end it: no shutdown hooks run, and its embedded
     * PostgreSQL is left running (the next start stops it). Returns once the process is gone.
     */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the connector's log, for error messages. */
    public String logTail(int lines) {
        try {
            var all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    /** The runnable connector jar: {@value #JAR_PROPERTY}, else {@code connector/target/connector-*-all.jar} above the working directory. */
    public static Path connectorJar() {
        var configured = System.getProperty(JAR_PROPERTY);
        if (configured != null) {
            var jar = Path.of(configured);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("connector jar " + jar + " (from -D" + JAR_PROPERTY + ") does not exist: run mvn -B package -DskipTests");
            }
            return jar;
        }
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var target = dir.resolve("connector").resolve("target");
            if (Files.isDirectory(target)) {
                try (var files = Files.list(target)) {
                    var jar = files.filter(f -> f.getFileName().toString().matches("connector-.*-all\\.jar")).findFirst();
                    if (jar.isPresent()) {
                        return jar.get();
                    }
                } catch (IOException ignored) {
                    // keep looking further up
                }
            }
        }
        throw new IllegalStateException("cannot find the connector jar: run mvn -B package -DskipTests, or set -D" + JAR_PROPERTY);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
