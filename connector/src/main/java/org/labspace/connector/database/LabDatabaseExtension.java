package org.labspace.connector.database;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.labspace.connector.config.LabSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Gives EDC's SQL stores their PostgreSQL: starts the embedded server (default), and starts it again if it dies
 * ({@link EmbeddedPostgresWatchdog}), or checks that the external one answers. Runs in {@code initialize()}: the pool
 * connects lazily and the schema is created in {@code prepare()}, after every extension has initialized.
 */
@Extension(LabDatabaseExtension.NAME)
@Provides(EmbeddedPostgresServer.class)
public class LabDatabaseExtension implements ServiceExtension {

    public static final String NAME = "Labspace database";

    @Setting(key = LabSettings.DATA_DIR, description = "The lab's data directory")
    private String dataDir;
    @Setting(key = LabSettings.DATABASE_MODE, defaultValue = LabSettings.MODE_EMBEDDED, description = "embedded or external")
    private String mode;
    @Setting(key = LabSettings.DATABASE_EMBEDDED_PORT, defaultValue = "0", description = "Port of the embedded PostgreSQL")
    private int embeddedPort;
    @Setting(key = LabSettings.DATABASE_EMBEDDED_NAME, defaultValue = "labspace", description = "Database name in the embedded PostgreSQL")
    private String embeddedName;
    @Setting(key = LabSettings.DATASOURCE_URL, required = false, description = "JDBC URL of the database")
    private String url;
    @Setting(key = LabSettings.DATASOURCE_USER, required = false, description = "Database user")
    private String user;
    @Setting(key = LabSettings.DATASOURCE_PASSWORD, required = false, description = "Database password")
    private String password;

    private EmbeddedPostgresServer server;
    private EmbeddedPostgresWatchdog watchdog;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var monitor = context.getMonitor().withPrefix("database");
        if (LabSettings.MODE_EXTERNAL.equals(mode)) {
            var problem = DatabaseProbe.check(url, user, password, 10);
            if (problem != null) {
                throw new EdcException("cannot reach PostgreSQL at " + url + " (setting " + LabSettings.DATASOURCE_URL + "): " + problem);
            }
            monitor.info("Using external PostgreSQL at " + url);
            return;
        }
        var dir = Path.of(dataDir);
        try {
            var started = System.nanoTime();
            server = EmbeddedPostgresServer.start(dir.resolve("postgres"), dir.resolve("postgres-binaries"), embeddedPort,
                    embeddedName, dir.resolve("logs").resolve("postgres.log"));
            monitor.info("Embedded PostgreSQL ready on 127.0.0.1:%d in %d ms (data in %s)".formatted(
                    server.port(), (System.nanoTime() - started) / 1_000_000, dir.resolve("postgres")));
            var released = server.releaseLeasesOfEarlierRuns();
            if (released > 0) {
                monitor.info("Released %d lease(s) of an earlier run that did not shut down cleanly".formatted(released));
            }
        } catch (IOException | SQLException | RuntimeException e) {
            throw new EdcException("cannot start the embedded PostgreSQL in " + dir.resolve("postgres") + " on port " + embeddedPort +
                    " (settings " + LabSettings.DATA_DIR + ", " + LabSettings.DATABASE_EMBEDDED_PORT + "): " + e.getMessage(), e);
        }
        context.registerService(EmbeddedPostgresServer.class, server);
        watchdog = new EmbeddedPostgresWatchdog(server, java.time.Duration.ofSeconds(1), monitor::info, monitor::warning).start();
    }

    // after every extension's shutdown(): the stores are done with the database by then
    @Override
    public void cleanup() {
        if (watchdog != null) {
            watchdog.close();
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new EdcException("cannot stop the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }
}
