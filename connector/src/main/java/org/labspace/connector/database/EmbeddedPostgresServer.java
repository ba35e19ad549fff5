package org.labspace.connector.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server owned by the connector, with its data directory under the lab's data directory.
 * <p>
 * zonky's defaults suit throw-away test databases (fsync off); a lab's agreements are records, so this server runs
 * with fsync and synchronous commit on, listens on loopback only, and keeps its unpacked binaries out of the shared
 * system temp folder.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final String database;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String database) {
        this.postgres = postgres;
        this.database = database;
    }

    /**
     * Starts PostgreSQL (running initdb on first use) and creates the database if it is missing.
     *
     * @param dataDirectory    where PostgreSQL keeps its data; reused across restarts
     * @param binaryDirectory  where the PostgreSQL binaries are unpacked
     * @param port             loopback port; must be free
     * @param database         database to create and use
     * @param logFile          PostgreSQL's own log
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, Path binaryDirectory, int port, String database, Path logFile) throws IOException {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database name '" + database + "' must be lower-case letters, digits and underscores");
        }
        if (port != 0 && !isFree(port)) {
            throw new IOException("port " + port + " is in use: another connector, or a PostgreSQL left over from one, listens there");
        }
        Files.createDirectories(dataDirectory.getParent());
        Files.createDirectories(binaryDirectory);
        Files.createDirectories(logFile.getParent());
        var log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
        var postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaryDirectory.toFile())
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                .start();
        var server = new EmbeddedPostgresServer(postgres, database);
        try {
            server.createDatabaseIfMissing();
        } catch (SQLException e) {
            server.close();
            throw new IOException("cannot create database '" + database + "' in the embedded PostgreSQL: " + e.getMessage(), e);
        }
        return server;
    }

    private static boolean isFree(int port) {
        try (var socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return jdbcUrl(port(), database);
    }

    public static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (var connection = DriverManager.getConnection(jdbcUrl(port(), "postgres"), USER, "")) {
            try (var query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, database);
                try (var rows = query.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (var create = connection.createStatement()) {
                // the name was checked against DATABASE_NAME: identifiers cannot be bound as parameters
                create.execute("CREATE DATABASE \"" + database + "\"");
            }
        }
    }

    /** Stops PostgreSQL with a fast shutdown: committed transactions are on disk, open ones are rolled back. */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            postgres.close();
        }
    }

    private boolean closed;
}
