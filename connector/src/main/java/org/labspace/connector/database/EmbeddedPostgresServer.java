package org.labspace.connector.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server owned by the connector, with its data directory under the lab's data directory.
 * <p>
 * zonky's defaults suit throw-away test databases (fsync off); a lab's agreements are records, so this server runs
 * with fsync and synchronous commit on, listens on loopback only, and keeps its unpacked binaries out of the shared
 * system temp folder. A connector that died without stopping its PostgreSQL (killed, out of memory) leaves that server
 * running on the lab's port; the next start finds and stops it instead of refusing to start.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    public static final String USER = "postgres";

    private final Path dataDirectory;
    private final Path binaryDirectory;
    private final int port;
    private final String database;
    private final Path logFile;
    private volatile EmbeddedPostgres postgres;
    private volatile long pid;
    private boolean closed;

    private EmbeddedPostgresServer(Path dataDirectory, Path binaryDirectory, int port, String database, Path logFile) {
        this.dataDirectory = dataDirectory;
        this.binaryDirectory = binaryDirectory;
        this.port = port;
        this.database = database;
        this.logFile = logFile;
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
        stopOrphanedServer(dataDirectory, logFile);
        if (port != 0 && !isFree(port)) {
            throw new IOException("port " + port + " is in use: another connector, or a PostgreSQL left over from one, listens there");
        }
        Files.createDirectories(dataDirectory.getParent());
        Files.createDirectories(binaryDirectory);
        Files.createDirectories(logFile.getParent());
        var postgres = launch(dataDirectory, binaryDirectory, port, logFile);
        var server = new EmbeddedPostgresServer(dataDirectory, binaryDirectory, postgres.getPort(), database, logFile);
        server.postgres = postgres;
        server.pid = server.readPid();
        try {
            server.createDatabaseIfMissing();
        } catch (SQLException e) {
            server.close();
            throw new IOException("cannot create database '" + database + "' in the embedded PostgreSQL: " + e.getMessage(), e);
        }
        return server;
    }

    private static EmbeddedPostgres launch(Path dataDirectory, Path binaryDirectory, int port, Path logFile) throws IOException {
        var log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
        return EmbeddedPostgres.builder()
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
    }

    /** Whether the PostgreSQL server process (the postmaster) this connector started is still alive. */
    public boolean isRunning() {
        var current = pid;
        return current > 0 && ProcessHandle.of(current).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The postmaster's process id, or -1 when its pid file cannot be read. */
    public long pid() {
        return pid;
    }

    /**
     * Starts PostgreSQL again, on the same port and data directory, after its server process died (killed, out of
     * memory). PostgreSQL's crash recovery replays its write-ahead log: every transaction committed before the crash
     * is there. Fails while processes of the dead server still hold its shared memory; try again a little later.
     */
    public synchronized void restart() throws IOException {
        if (closed) {
            throw new IOException("the embedded PostgreSQL was stopped");
        }
        try {
            postgres.close(); // its stop fails (nothing to stop); it releases the data directory's lock
        } catch (IOException | RuntimeException e) {
            // already gone
        }
        Files.writeString(logFile, "labspace: starting PostgreSQL again: its server process (pid " + pid + ") is gone\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        postgres = launch(dataDirectory, binaryDirectory, port, logFile);
        pid = readPid();
    }

    private long readPid() {
        try {
            var lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? -1 : parsePid(lines.get(0));
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * zonky holds {@code epg-lock} in the data directory while its connector lives, and the operating system drops the
     * lock when that process dies however it dies. A {@code postmaster.pid} whose directory nobody locks therefore
     * names a server that outlived its connector: stop it (a smart shutdown; its clients are gone) before starting.
     */
    static void stopOrphanedServer(Path dataDirectory, Path logFile) throws IOException {
        var pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (var channel = FileChannel.open(dataDirectory.resolve("epg-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException("the embedded PostgreSQL in " + dataDirectory + " belongs to a connector that is still running; stop that connector first");
            }
            try {
                var lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
                var pid = lines.isEmpty() ? -1 : parsePid(lines.get(0));
                var orphan = pid > 0 ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false)) : java.util.Optional.<ProcessHandle>empty();
                if (orphan.isEmpty()) {
                    return; // a stale file: PostgreSQL itself replaces it
                }
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                Files.writeString(logFile, "labspace: stopping PostgreSQL (pid " + pid + ") left running by a connector that did not shut down\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                var process = orphan.get();
                process.destroy();
                try {
                    process.onExit().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    process.destroyForcibly(); // crash recovery replays the WAL on the next start
                    process.onExit().get(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping the PostgreSQL left running in " + dataDirectory, e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("cannot stop the PostgreSQL left running in " + dataDirectory + ": " + e.getMessage(), e);
            } finally {
                lock.release();
            }
        }
    }

    private static long parsePid(String line) {
        try {
            return Long.parseLong(line.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
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
        return port;
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

    /**
     * Drops every EDC lease (a state machine's claim on a negotiation, transfer or data plane record). Called before
     * the connector's state machines start: this server's data directory is locked to this connector, so any lease
     * in it belongs to a previous run, and after a crash those would stall their records for the lease duration
     * (a minute: "No dataplane found" right after a restart).
     *
     * @return how many leases were dropped
     */
    public int releaseLeasesOfEarlierRuns() throws SQLException {
        try (var connection = DriverManager.getConnection(jdbcUrl(), USER, "");
             var exists = connection.createStatement().executeQuery("SELECT to_regclass('edc_lease') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0; // first start: EDC creates the table later
            }
            try (var delete = connection.createStatement()) {
                return delete.executeUpdate("DELETE FROM edc_lease");
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
}
