package org.labspace.connector.database;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded PostgreSQL runs with durable settings on loopback, and keeps its data across restarts. */
@Tag("runtime")
class EmbeddedPostgresServerTest {

    @TempDir
    Path dir;

    private EmbeddedPostgresServer start() throws Exception {
        return EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("bin"), 0, "lab_test", dir.resolve("logs/postgres.log"));
    }

    @Test
    void runsDurably_onLoopback_andKeepsDataAcrossRestarts() throws Exception {
        try (var server = start();
             var connection = DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USER, "");
             var statement = connection.createStatement()) {
            for (var setting : new String[]{"fsync", "synchronous_commit", "full_page_writes"}) {
                try (var rows = statement.executeQuery("SHOW " + setting)) {
                    rows.next();
                    assertThat(rows.getString(1)).as(setting).isEqualTo("on");
                }
            }
            try (var rows = statement.executeQuery("SHOW listen_addresses")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("127.0.0.1");
            }
            statement.execute("CREATE TABLE agreement (id text primary key)");
            statement.execute("INSERT INTO agreement VALUES ('a-1')");
        }

        try (var server = start();
             var connection = DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USER, "");
             var rows = connection.createStatement().executeQuery("SELECT id FROM agreement")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("a-1");
        }
        assertThat(dir.resolve("pg").resolve("postmaster.pid")).as("stopped on close").doesNotExist();
    }

    @Test
    void stopsAServerLeftRunningByAConnectorThatDied_andKeepsItsData() throws Exception {
        int port;
        try (var server = start();
             var connection = DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USER, "")) {
            port = server.port();
            connection.createStatement().execute("CREATE TABLE agreement (id text primary key); INSERT INTO agreement VALUES ('kept')");
            // a state machine's claim on a record, as EDC keeps it; a crash leaves it behind
            connection.createStatement().execute("CREATE TABLE edc_lease (leased_by varchar not null, leased_at bigint, lease_duration integer not null, "
                    + "resource_id varchar not null, resource_kind varchar not null, primary key (resource_id, resource_kind)); "
                    + "INSERT INTO edc_lease VALUES ('dead-runtime', 0, 60000, 'dataplane-1', 'DataPlaneInstance')");
        }
        // what a killed connector leaves behind: its PostgreSQL still running on the lab's port, nobody holding the lock
        var postgres = Files.walk(dir.resolve("bin")).filter(p -> p.endsWith(Path.of("bin", "postgres"))).findFirst().orElseThrow();
        var command = new java.util.ArrayList<String>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(java.util.List.of("unshare", "-U")); // as zonky does: PostgreSQL refuses to run as root
        }
        command.addAll(java.util.List.of(postgres.toString(), "-D", dir.resolve("pg").toString(), "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1"));
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("orphan.log").toFile()).start();
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers(port)) {
            assertThat(System.nanoTime()).as("orphan server answering: " + Files.readString(dir.resolve("orphan.log"))).isLessThan(deadline);
            Thread.sleep(200);
        }
        var orphanPid = Long.parseLong(Files.readAllLines(dir.resolve("pg/postmaster.pid")).get(0).trim());

        try (var server = EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("bin"), port, "lab_test", dir.resolve("logs/postgres.log"));
             var connection = DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USER, "");
             var rows = connection.createStatement().executeQuery("SELECT id FROM agreement")) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).as("orphan stopped").isFalse();
            assertThat(server.port()).isEqualTo(port);
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("kept");
            assertThat(Files.readString(dir.resolve("logs/postgres.log"))).contains("left running by a connector that did not shut down");
            assertThat(server.releaseLeasesOfEarlierRuns()).isEqualTo(1);
            assertThat(server.releaseLeasesOfEarlierRuns()).isZero();

            // while this connector runs, a second one on the same data directory is refused and this server survives
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("bin"), 0, "lab_test", dir.resolve("logs/other.log")))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("still running");
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    private static boolean answers(int port) {
        try (var ignored = DriverManager.getConnection(EmbeddedPostgresServer.jdbcUrl(port, "postgres"), EmbeddedPostgresServer.USER, "")) {
            return true;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Test
    void watchdog_startsAKilledServerAgain_onItsPort_withEveryCommittedRow() throws Exception {
        var events = new java.util.concurrent.CopyOnWriteArrayList<String>();
        try (var server = start();
             var watchdog = new EmbeddedPostgresWatchdog(server, java.time.Duration.ofMillis(200), events::add, events::add).start()) {
            try (var connection = DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USER, "")) {
                connection.createStatement().execute("CREATE TABLE agreement (id text primary key); INSERT INTO agreement VALUES ('committed')");
            }
            var killed = server.pid();
            ProcessHandle.of(killed).orElseThrow().destroyForcibly();
            assertThat(ProcessHandle.of(killed).orElseThrow().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
            // no check that it reads as stopped here: the watchdog may already have started it again (CI saw that)

            var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.pid() == killed || !server.isRunning() || !answers(server.port())) {
                assertThat(System.nanoTime()).as("restarted within 60 s: " + events).isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(server.pid()).isNotEqualTo(killed);
            try (var connection = DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USER, "");
                 var rows = connection.createStatement().executeQuery("SELECT id FROM agreement")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("committed");
            }
            assertThat(events).anyMatch(e -> e.contains("is gone")).anyMatch(e -> e.contains("restarted"));
        }
        assertThat(dir.resolve("pg").resolve("postmaster.pid")).as("stopped on close, not started again").doesNotExist();
    }

    @Test
    void refusesADatabaseNameThatIsNotAPlainIdentifier() {
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("bin"), 0, "lab\"; DROP", dir.resolve("log")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case letters");
    }
}
