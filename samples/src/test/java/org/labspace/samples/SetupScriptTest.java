package org.labspace.samples;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labspace.connector.launch.LabProcess;
import org.labspace.connector.trust.LabKeys;
import org.labspace.connector.trust.RegistrySignature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * samples/iberian-network/setup.sh, run from a copy of the sample folder: it creates the identities the sample
 * configs refer to, and a second run changes nothing.
 */
@Tag("runtime")
class SetupScriptTest {

    private static final Path SAMPLE = Path.of("iberian-network");

    @TempDir
    Path dir;

    @Test
    void setup_createsWhatTheConfigsNeed_andIsIdempotent() throws Exception {
        var sample = Files.createDirectories(dir.resolve("iberian-network"));
        for (var file : List.of("setup.sh", "lab-madrid.properties", "lab-lisbon.properties", "acme-ai.properties")) {
            Files.copy(SAMPLE.resolve(file), sample.resolve(file));
        }
        sample.resolve("setup.sh").toFile().setExecutable(true);

        var first = run(sample.resolve("setup.sh").toString());
        assertThat(first).contains("signed registry 'iberian-ai-labs' version 1 (3 members)").contains("signature valid");
        var identity = sample.resolve("identity");
        var registry = Files.readString(identity.resolve("registry.jws"));
        var operatorKey = Files.readString(identity.resolve("operator/operator.key"));

        var second = run(sample.resolve("setup.sh").toString());
        assertThat(second).contains("exists; kept").contains("nothing changed").contains("already holds this draft; nothing signed")
                .doesNotContain("PRIVATE KEY");
        assertThat(Files.readString(identity.resolve("registry.jws"))).as("registry not signed again").isEqualTo(registry);
        assertThat(Files.readString(identity.resolve("operator/operator.key"))).as("keys never replaced").isEqualTo(operatorKey);

        var verified = RegistrySignature.verify(registry, LabKeys.readPublicKey(identity.resolve("operator/operator.pub")));
        assertThat(verified.member("lab-madrid").accreditations()).contains("ethics-board-approved");
        assertThat(verified.member("acme-ai").organizationType()).isEqualTo("company");
        assertThat(verified.member("acme-ai").accreditations()).isEmpty();
        for (var lab : List.of("lab-madrid", "lab-lisbon", "acme-ai")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity.resolve(lab).resolve("lab.key")))).isEqualTo("rw-------");
            var config = sample.resolve(lab + ".properties");
            // the sample configs name exactly what setup.sh made
            assertThat(run(labspace(), "config", "check", "--config", config.toString())).contains("# configuration OK");
            assertThat(verified.member(lab).keys().get(0).kid())
                    .isEqualTo(LabKeys.keyId(LabKeys.readKeyPair(identity.resolve(lab).resolve("lab.key")).getPublic()));
        }
    }

    private static String labspace() {
        return Path.of("..", "bin", "labspace").toAbsolutePath().normalize().toString();
    }

    private String run(String... command) throws Exception {
        var log = Files.createTempFile(dir, "run", ".log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LABSPACE_BIN", labspace());
        builder.environment().put("LABSPACE_JAR", LabProcess.connectorJar().toAbsolutePath().toString());
        var process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("did not finish in 180 s: " + String.join(" ", command) + "\n" + Files.readString(log));
        }
        var output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
