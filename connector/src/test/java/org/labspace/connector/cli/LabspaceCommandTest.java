package org.labspace.connector.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LabspaceCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return LabspaceCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void help_listsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("run", "status", "agreement", "config", "LABSPACE_MANAGEMENT_URL");
    }

    @Test
    void configCheck_reportsEveryProblem_andExits2() throws Exception {
        var file = Files.writeString(dir.resolve("lab.properties"), "edc.participant.id=lab-x\nweb.http.port=abc\n");
        assertThat(run("config", "check", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("labspace: setting 'labspace.data.dir' is missing")
                .contains("labspace: setting 'web.http.port' must be a port number, got 'abc'");
    }

    @Test
    void configCheck_validConfig_printsSettingsWithTheKeyMasked() throws Exception {
        Files.writeString(dir.resolve("lab.key"), "checked for readability only");
        Files.writeString(dir.resolve("operator.pub"), "checked for readability only");
        var file = Files.writeString(dir.resolve("lab.properties"), """
                edc.participant.id=lab-x
                labspace.data.dir=data
                labspace.identity.key=lab.key
                labspace.network.operator-key=operator.pub
                labspace.network.registry=registry.jws
                web.http.management.auth.key=very-secret-key-0001
                """);
        assertThat(run("config", "check", "-c", file.toString())).isZero();
        assertThat(out.toString()).contains("web.http.management.auth.key=********", "web.http.management.port=19193", "# configuration OK")
                .doesNotContain("very-secret-key-0001");
    }

    @Test
    void status_withoutConnector_explainsHowToGiveOne() {
        assertThat(run("status")).isEqualTo(1);
        assertThat(err.toString()).contains("no connector given: use --config FILE, or set LABSPACE_MANAGEMENT_URL and LABSPACE_API_KEY");
    }

    @Test
    void status_connectorNotRunning_saysSoInOneLine() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var file = Files.writeString(dir.resolve("lab.properties"),
                "web.http.management.port=" + port + "\nweb.http.management.auth.key=very-secret-key-0001\n");
        assertThat(run("status", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString().trim()).startsWith("labspace: cannot reach the connector's Management API at http://127.0.0.1:" + port + "/management")
                .doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void run_missingConfigFile_namesIt() {
        assertThat(run("run", "--config", dir.resolve("missing.properties").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("config file not found").contains("missing.properties");
    }
}
