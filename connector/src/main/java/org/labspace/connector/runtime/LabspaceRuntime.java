package org.labspace.connector.runtime;

import org.eclipse.edc.boot.system.ServiceLocator;
import org.eclipse.edc.boot.system.runtime.BaseRuntime;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.Config;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.labspace.connector.config.ConfigException;
import org.labspace.connector.config.LabConfig;
import org.labspace.connector.config.LabSettings;
import org.labspace.connector.config.LabspaceApiKeyType;
import org.labspace.connector.database.EmbeddedPostgresServer;
import org.labspace.connector.tls.TrustedCertificates;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;

/**
 * EDC's runtime with Labspace's configuration rules: settings come from the lab's properties file, the environment
 * and {@code -D} (in that order of precedence), over Labspace's defaults; a configuration with problems is refused
 * before anything starts; a failed start says why in one line and leaves no embedded database behind.
 */
public class LabspaceRuntime extends BaseRuntime {

    private final LabConfig lab;
    private final ConsoleMonitor.Level logLevel;

    private volatile boolean booted;

    /**
     * @param lab the lab's settings, as {@link #loadSettings} reads them; the runtime checks them again before boot
     */
    public LabspaceRuntime(LabConfig lab, ConsoleMonitor.Level logLevel) {
        this.lab = lab;
        this.logLevel = logLevel;
    }

    /**
     * A runtime whose extensions come from {@code extensions} instead of the class path as it is. Only the
     * conformance test's launcher uses it (to put its test identity in place of the lab's); {@code labspace run}
     * has no way to choose it.
     */
    public LabspaceRuntime(LabConfig lab, ConsoleMonitor.Level logLevel, ServiceLocator extensions) {
        super(extensions);
        this.lab = lab;
        this.logLevel = logLevel;
    }

    private static String randomKey() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The lab's settings from {@code configFile}, or from {@code edc.fs.config} / {@code EDC_FS_CONFIG} when it is null. */
    public static LabConfig loadSettings(Path configFile) {
        return LabConfig.fromProcess(configFile != null ? configFile : fsConfigFile());
    }

    /**
     * Boots; EDC adds its shutdown hook only once boot succeeded, so a SIGTERM during boot would leave the embedded
     * PostgreSQL running without its connector. This hook covers that window.
     */
    @Override
    public void boot(boolean addShutdownHook) {
        var bootWindowHook = new Thread(() -> {
            if (!booted) {
                stopEmbeddedDatabase();
            }
        }, "labspace-boot-interrupted");
        Runtime.getRuntime().addShutdownHook(bootWindowHook);
        super.boot(addShutdownHook);
        booted = true;
    }

    @Override
    protected Monitor createMonitor() {
        return new ConsoleMonitor(logLevel, System.console() != null);
    }

    /**
     * @throws ConfigException listing every problem, one per line, when the configuration cannot boot
     */
    @Override
    protected ServiceExtensionContext createContext(Monitor monitor, Config ignoredLoaderConfig) {
        var problems = LabSettings.problems(lab);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
        var values = new HashMap<>(LabSettings.defaultsFor(lab));
        values.putAll(lab.values());
        for (var pathSetting : LabSettings.PATH_SETTINGS) {
            if (lab.has(pathSetting)) {
                values.put(pathSetting, lab.getPath(pathSetting).toString());
            }
        }
        // EDC's control API (the data plane's signaling endpoint, the control plane's transfer callbacks) has no
        // authentication of its own: any local user could start a data flow on it. Only this process calls it, so
        // it gets a key made at each start, which LabWebExtension hands to EDC's control API client
        values.put(LabSettings.CONTROL_AUTH_TYPE, LabspaceApiKeyType.TYPE);
        values.put(LabSettings.CONTROL_KEY, randomKey());
        var registry = lab.get(LabSettings.NETWORK_REGISTRY);
        if (!registry.startsWith("http://") && !registry.startsWith("https://")) {
            values.put(LabSettings.NETWORK_REGISTRY, lab.getPath(LabSettings.NETWORK_REGISTRY).toString());
        }
        if (lab.has(LabSettings.TLS_TRUSTED_CA)) {
            try {
                TrustedCertificates.installAsDefault(lab.getPath(LabSettings.TLS_TRUSTED_CA), lab.getPath(LabSettings.DATA_DIR).resolve("tls"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("setting '" + LabSettings.TLS_TRUSTED_CA + "': " + e.getMessage());
            }
        }
        if (LabSettings.MODE_EMBEDDED.equals(lab.get(LabSettings.DATABASE_MODE, LabSettings.MODE_EMBEDDED))) {
            var port = lab.getInt(LabSettings.DATABASE_EMBEDDED_PORT);
            if (port == null || port == 0) {
                port = freeLoopbackPort(webPorts(values));
            }
            var name = lab.get(LabSettings.DATABASE_EMBEDDED_NAME, "labspace");
            values.put(LabSettings.DATABASE_EMBEDDED_PORT, String.valueOf(port));
            values.put(LabSettings.DATASOURCE_URL, EmbeddedPostgresServer.jdbcUrl(port, name));
            values.put(LabSettings.DATASOURCE_USER, EmbeddedPostgresServer.USER);
            values.put(LabSettings.DATASOURCE_PASSWORD, "");
        }
        return super.createContext(monitor, ConfigFactory.fromMap(values));
    }

    @Override
    protected void onError(Throwable e) {
        var description = withPortSetting(describe(e));
        monitor.severe("Labspace could not start: " + description);
        monitor.debug("Start failure in detail", e);
        stopEmbeddedDatabase();
        throw new LabStartupException(description, e);
    }

    private void stopEmbeddedDatabase() {
        var started = context;
        if (started != null && started.hasService(EmbeddedPostgresServer.class)) {
            try {
                started.getService(EmbeddedPostgresServer.class).close();
            } catch (IOException | RuntimeException stopFailure) {
                monitor.warning("Could not stop the embedded PostgreSQL: " + stopFailure.getMessage());
            }
        }
    }

    /**
     * The first message in a cause chain that says something of its own: EDC wraps the real reason in exceptions
     * whose message is just the wrapped exception's {@code toString()}.
     */
    public static String describe(Throwable e) {
        var text = new StringBuilder();
        var depth = 0;
        for (var cause = e; cause != null && depth < 10; cause = cause.getCause(), depth++) {
            var message = cause.getMessage();
            var wrapsOnly = message != null && cause.getCause() != null && message.equals(cause.getCause().toString());
            if (message == null || message.isBlank() || wrapsOnly || text.toString().contains(message)) {
                continue;
            }
            text.append(text.length() == 0 ? "" : ": ").append(message);
        }
        return text.length() == 0 ? e.toString() : text.toString();
    }

    /** Names the web setting whose port a start failure mentions, e.g. a port another process holds. */
    private String withPortSetting(String description) {
        if (context == null) {
            return description;
        }
        var config = context.getConfig();
        for (var ctx : LabSettings.WEB_CONTEXTS.keySet()) {
            var key = LabSettings.webKey(ctx, "port");
            var port = config.getString(key, null);
            if (port != null && description.matches("(?s).*:" + port + "\\b.*")) {
                return description + " (setting " + key + ")";
            }
        }
        return description;
    }

    private static Path fsConfigFile() {
        var file = System.getProperty("edc.fs.config", System.getenv("EDC_FS_CONFIG"));
        return file != null ? Path.of(file) : null;
    }

    /** The ports the lab's web contexts will bind: free now, since Jetty starts after the database. */
    private static java.util.Set<Integer> webPorts(java.util.Map<String, String> values) {
        var ports = new java.util.HashSet<Integer>();
        values.forEach((key, value) -> {
            if (key.startsWith("web.http.") && key.endsWith(".port")) {
                try {
                    ports.add(Integer.parseInt(value.trim()));
                } catch (NumberFormatException ignored) {
                    // the settings check reports it
                }
            }
        });
        return ports;
    }

    /** A free loopback port that none of the lab's own web contexts is configured to use. */
    private static int freeLoopbackPort(java.util.Set<Integer> taken) {
        for (var attempt = 0; attempt < 20; attempt++) {
            try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (!taken.contains(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                break;
            }
        }
        throw new ConfigException("cannot find a free loopback port for the embedded PostgreSQL; set " + LabSettings.DATABASE_EMBEDDED_PORT);
    }
}
