package org.labspace.connector.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Production layout: the connector's stores on a PostgreSQL it does not own (here a separate server started by the
 * test). The schema is created on first start, and what the lab admin registered survives a connector restart.
 */
@Tag("runtime")
class ExternalDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void storesLiveInTheExternalDatabase_andSurviveARestart() throws Exception {
        try (var postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("external-pg"))
                .setOverrideWorkingDirectory(dir.resolve("pg-bin").toFile())
                .start()) {
            var url = postgres.getJdbcUrl("postgres", "postgres");
            var config = TestLab.soloConfig(dir, "lab-external", dir.resolve("data"), Map.of(
                    "labspace.database.mode", "external",
                    "edc.datasource.default.url", url.replaceAll("\\?.*$", ""),
                    "edc.datasource.default.user", "postgres",
                    "edc.datasource.default.password", "unused-with-trust-auth"));
            var file = TestLab.write(dir.resolve("lab.properties"), config);

            try (var lab = TestLab.process("lab-external", file, dir).start(Duration.ofSeconds(180))) {
                lab.management().createAsset("external-asset", Map.of("name", "kept in the external database"),
                        Map.of("type", "HttpData", "baseUrl", "https://data.example/x"));
                lab.stop(Duration.ofSeconds(30));
                assertThat(dir.resolve("data").resolve("postgres")).as("no embedded database in external mode").doesNotExist();

                lab.start(Duration.ofSeconds(180));
                assertThat(lab.management().getAsset("external-asset").path("properties").path("name").asText())
                        .isEqualTo("kept in the external database");
            }

            try (var connection = DriverManager.getConnection(url);
                 var rows = connection.createStatement().executeQuery("SELECT count(*) FROM edc_asset WHERE asset_id = 'external-asset'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }
}
