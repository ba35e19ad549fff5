package org.labspace.connector.system;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A connector that cannot start says why in a line naming the setting, exits non-zero and leaves nothing running. */
@Tag("runtime")
class ConnectorStartupTest {

    @TempDir
    Path dir;

    @Test
    void missingSettings_areNamed_beforeAnythingStarts() {
        var file = TestLab.write(dir.resolve("lab.properties"), Map.of("edc.participant.id", "lab-x"));

        var run = TestLab.runJar(60, "run", "--config", file.toString());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output())
                .contains("labspace: setting 'labspace.data.dir' is missing")
                .contains("labspace: setting 'labspace.identity.key' is missing")
                .contains("labspace: setting 'labspace.network.registry' is missing")
                .contains("labspace: setting 'web.http.management.auth.key' is missing")
                .doesNotContain("Exception");
    }

    @Test
    void labMissingFromTheRegistry_orWithAKeyOthersCanRead_doesNotStart() throws Exception {
        var network = TestLab.network(dir);
        network.lab("lab-member", dir.resolve("member"), TestLab.API_KEY, Map.of());
        network.publish();
        var stranger = network.unregisteredLab("lab-stranger", dir.resolve("stranger"), TestLab.API_KEY, Map.of());

        var run = TestLab.runJar(120, "run", "--config", TestLab.write(dir.resolve("stranger.properties"), stranger).toString());
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("this lab ('lab-stranger') is not in network registry 'test-network' version 1: ask the network operator to add it");

        var key = Path.of(stranger.get("labspace.identity.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        run = TestLab.runJar(120, "run", "--config", TestLab.write(dir.resolve("stranger.properties"), stranger).toString());
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("private key " + key + " (setting labspace.identity.key) is accessible to other users")
                .doesNotContain("BEGIN PRIVATE KEY");
    }

    @Test
    void unreachableExternalDatabase_namesTheUrlSetting() {
        var closedPort = TestLab.freePort();
        var file = TestLab.write(dir.resolve("lab.properties"), TestLab.soloConfig(dir, "lab-x", dir.resolve("data"), Map.of(
                "labspace.database.mode", "external",
                "edc.datasource.default.url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/labspace",
                "edc.datasource.default.user", "labspace")));

        var run = TestLab.runJar(120, "run", "--config", file.toString());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("labspace: the connector could not start: cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:" + closedPort)
                .contains("(setting edc.datasource.default.url)");
    }

    @Test
    void takenWebPort_failsTheStart_andStopsTheEmbeddedDatabase() throws Exception {
        var dataDir = dir.resolve("data");
        var values = TestLab.soloConfig(dir, "lab-x", dataDir, Map.of());
        try (var squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(values.get("web.http.protocol.port"))));
            var file = TestLab.write(dir.resolve("lab.properties"), values);

            var run = TestLab.runJar(180, "run", "--config", file.toString());

            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("labspace: the connector could not start:")
                    .contains(values.get("web.http.protocol.port") + ": Address already in use (setting web.http.protocol.port)");
        }
        // PostgreSQL removes postmaster.pid when it stops
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
        assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();
    }

    @Test
    void takenDatabasePort_isAClearError() throws Exception {
        try (var squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var file = TestLab.write(dir.resolve("lab.properties"), TestLab.soloConfig(dir, "lab-x", dir.resolve("data"),
                    Map.of("labspace.database.embedded.port", String.valueOf(squatter.getLocalPort()))));

            var run = TestLab.runJar(120, "run", "--config", file.toString());

            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("cannot start the embedded PostgreSQL")
                    .contains("port " + squatter.getLocalPort() + " is in use")
                    .contains("labspace.database.embedded.port");
        }
    }
}
