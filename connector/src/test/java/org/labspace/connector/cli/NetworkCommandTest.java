package org.labspace.connector.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labspace.connector.trust.LabKeys;
import org.labspace.connector.trust.RegistrySignature;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkCommandTest {

    @TempDir
    Path dir;
    private StringWriter out;
    private StringWriter err;
    private Path draft;
    private Path signed;

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return LabspaceCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @BeforeEach
    void keys() {
        draft = dir.resolve("registry.json");
        signed = dir.resolve("registry.jws");
        assertThat(run("keys", "generate", "--out", dir.resolve("operator").toString(), "--name", "operator")).isZero();
        assertThat(run("keys", "generate", "--out", dir.resolve("madrid").toString(), "--algorithm", "ed25519")).isZero();
    }

    private int addMadrid(String... extra) {
        var args = new java.util.ArrayList<>(java.util.List.of("network", "add-member", "--draft", draft.toString(), "--id", "lab-madrid",
                "--name", "Madrid AI Lab", "--country", "ES", "--type", "university", "--accreditation", "ethics-board-approved",
                "--dsp-endpoint", "https://madrid.example/protocol", "--data-endpoint", "https://madrid.example/public",
                "--key", dir.resolve("madrid/lab.pub").toString()));
        args.addAll(java.util.List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private int sign() {
        return run("network", "sign", "--draft", draft.toString(), "--key", dir.resolve("operator/operator.key").toString(), "--out", signed.toString());
    }

    @Test
    void operatorWorkflow_initAddSignVerifySuspend_isRepeatable() throws Exception {
        assertThat(run("network", "init", "--draft", draft.toString(), "--network", "iberian-ai-labs")).isZero();
        assertThat(addMadrid()).isZero();
        assertThat(sign()).as(err.toString()).isZero();
        assertThat(out.toString()).contains("version 1 (1 members)");

        assertThat(run("network", "verify", "--registry", signed.toString(), "--operator-key", dir.resolve("operator/operator.pub").toString())).isZero();
        assertThat(out.toString()).contains("registry 'iberian-ai-labs' version 1").contains("signature valid")
                .containsPattern("lab-madrid +active +ES +university +ethics-board-approved +https://madrid.example/protocol");

        // the same steps again change nothing
        assertThat(run("network", "init", "--draft", draft.toString(), "--network", "iberian-ai-labs")).isZero();
        assertThat(addMadrid()).isZero();
        assertThat(out.toString()).contains("nothing changed");
        var before = Files.readString(signed);
        assertThat(sign()).isZero();
        assertThat(out.toString()).contains("already holds this draft");
        assertThat(Files.readString(signed)).isEqualTo(before);

        assertThat(run("network", "suspend", "--draft", draft.toString(), "--id", "lab-madrid")).isZero();
        assertThat(sign()).isZero();
        var registry = RegistrySignature.verify(Files.readString(signed), LabKeys.readPublicKey(dir.resolve("operator/operator.pub")));
        assertThat(registry.version()).isEqualTo(2);
        assertThat(registry.member("lab-madrid").status()).isEqualTo("suspended");
    }

    @Test
    void changedEntry_needsUpdate_andBadValuesAreNamed() {
        run("network", "init", "--draft", draft.toString(), "--network", "iberian-ai-labs");
        addMadrid();
        assertThat(run("network", "add-member", "--draft", draft.toString(), "--id", "lab-madrid", "--name", "Renamed", "--country", "ES",
                "--type", "university", "--dsp-endpoint", "https://madrid.example/protocol", "--data-endpoint", "https://madrid.example/public",
                "--key", dir.resolve("madrid/lab.pub").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("already in the draft with other details; add --update");

        assertThat(run("network", "add-member", "--draft", draft.toString(), "--id", "lab-porto", "--name", "Porto", "--country", "PX",
                "--type", "startup", "--dsp-endpoint", "ftp://porto", "--data-endpoint", "https://porto.example/public",
                "--key", dir.resolve("madrid/lab.pub").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("'country' must be an ISO 3166-1 alpha-2 code").contains("'organizationType' must be one of")
                .contains("'dspEndpoint' must be an http(s) URL").contains("is listed more than once");

        assertThat(run("network", "add-member", "--draft", draft.toString(), "--id", "lab-porto", "--name", "Porto", "--country", "PT",
                "--type", "hospital", "--dsp-endpoint", "https://porto.example/protocol", "--data-endpoint", "https://porto.example/public",
                "--key", dir.resolve("madrid/lab.key").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot use public key").contains("not a PEM public key").doesNotContain("PRIVATE");
    }

    @Test
    void verify_withTheWrongOperatorKey_orATamperedFile_fails() throws Exception {
        run("network", "init", "--draft", draft.toString(), "--network", "iberian-ai-labs");
        addMadrid();
        sign();
        assertThat(run("network", "verify", "--registry", signed.toString(), "--operator-key", dir.resolve("madrid/lab.pub").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot be trusted");

        var parts = Files.readString(signed).strip().split("\\.");
        Files.writeString(signed, parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2]);
        assertThat(run("network", "verify", "--registry", signed.toString(), "--operator-key", dir.resolve("operator/operator.pub").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot be trusted");

        // a signed file from someone else is never overwritten
        assertThat(run("keys", "generate", "--out", dir.resolve("other").toString())).isZero();
        Files.writeString(signed, "not a registry");
        assertThat(sign()).isEqualTo(1);
        assertThat(err.toString()).contains("move it away first");
    }
}
