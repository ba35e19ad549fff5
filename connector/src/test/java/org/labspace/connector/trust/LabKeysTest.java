package org.labspace.connector.trust;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labspace.connector.cli.LabspaceCommand;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabKeysTest {

    @TempDir
    Path dir;

    @Test
    void keyId_isTheRfc7638Thumbprint_forEc() throws Exception {
        var pair = LabKeys.generate(KeyAlgorithm.EC_P256);
        // nimbus computes the thumbprint independently
        var expected = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build().computeThumbprint().toString();
        assertThat(LabKeys.keyId(pair.getPublic())).isEqualTo(expected);
    }

    @Test
    void keyId_isTheRfc7638Thumbprint_forEd25519() throws Exception {
        var pair = LabKeys.generate(KeyAlgorithm.ED25519);
        var encoded = pair.getPublic().getEncoded();
        var raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        var expected = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).build().computeThumbprint().toString();
        assertThat(LabKeys.keyId(pair.getPublic())).isEqualTo(expected);
    }

    @Test
    void write_privateKeyIsOwnerOnly_andTheFilesSignAndVerify() throws Exception {
        for (var algorithm : KeyAlgorithm.values()) {
            var pair = LabKeys.generate(algorithm);
            var name = "lab-" + algorithm.cliName();
            LabKeys.write(pair, dir, name);

            var privateFile = dir.resolve(name + ".key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile))).isEqualTo("rw-------");
            var keyAlgorithm = algorithm == KeyAlgorithm.EC_P256 ? "EC" : "Ed25519";
            var factory = KeyFactory.getInstance(keyAlgorithm);
            var privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privateFile))));
            var publicKey = factory.generatePublic(new X509EncodedKeySpec(der(Files.readString(dir.resolve(name + ".pub")))));

            var signatureAlgorithm = algorithm == KeyAlgorithm.EC_P256 ? "SHA256withECDSA" : "Ed25519";
            var signer = Signature.getInstance(signatureAlgorithm);
            signer.initSign(privateKey);
            signer.update("agreement".getBytes(StandardCharsets.UTF_8));
            var signature = signer.sign();
            var verifier = Signature.getInstance(signatureAlgorithm);
            verifier.initVerify(publicKey);
            verifier.update("agreement".getBytes(StandardCharsets.UTF_8));
            assertThat(verifier.verify(signature)).as(algorithm.cliName()).isTrue();
        }
    }

    @Test
    void write_neverOverwritesAnExistingKey() throws Exception {
        LabKeys.write(LabKeys.generate(KeyAlgorithm.EC_P256), dir, "lab");
        var before = Files.readString(dir.resolve("lab.key"));
        assertThatThrownBy(() -> LabKeys.write(LabKeys.generate(KeyAlgorithm.EC_P256), dir, "lab"))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(dir.resolve("lab.key"))).isEqualTo(before);
    }

    @Test
    void cli_printsKeyIdAndPublicKey_neverThePrivateKey() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var exit = LabspaceCommand.execute(new String[]{"keys", "generate", "--out", dir.resolve("keys").toString(), "--name", "lab-madrid"},
                new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(exit).as(err.toString()).isZero();
        var publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der(Files.readString(dir.resolve("keys/lab-madrid.pub")))));
        assertThat(out.toString()).contains("key id: " + LabKeys.keyId(publicKey)).contains("-----BEGIN PUBLIC KEY-----")
                .doesNotContain("PRIVATE KEY-----").doesNotContain(body(Files.readString(dir.resolve("keys/lab-madrid.key"))));

        var again = LabspaceCommand.execute(new String[]{"keys", "generate", "--out", dir.resolve("keys").toString(), "--name", "lab-madrid"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(again).isEqualTo(1);
        assertThat(err.toString()).contains("lab-madrid.key exists: refusing to overwrite");
    }

    @Test
    void cli_unknownAlgorithm_namesTheChoices() {
        var err = new StringWriter();
        var exit = LabspaceCommand.execute(new String[]{"keys", "generate", "--out", dir.toString(), "--algorithm", "rsa"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("unknown key algorithm 'rsa': use ec-p256 or ed25519");
    }

    private static String body(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "").substring(0, 40);
    }

    private static byte[] der(String pem) {
        return Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }
}
