package org.labspace.connector.database;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;

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
    void refusesADatabaseNameThatIsNotAPlainIdentifier() {
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("bin"), 0, "lab\"; DROP", dir.resolve("log")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case letters");
    }
}
