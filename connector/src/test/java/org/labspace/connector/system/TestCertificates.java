package org.labspace.connector.system;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.labspace.connector.trust.KeyAlgorithm;
import org.labspace.connector.trust.LabKeys;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** A throw-away certificate authority for HTTPS tests on loopback. */
final class TestCertificates {

    static final String KEYSTORE_PASSWORD = "test-keystore-password";

    private final KeyPair caKey = LabKeys.generate(KeyAlgorithm.EC_P256);
    private final X509Certificate caCert;
    private long serial = 1;

    TestCertificates() throws Exception {
        var name = new X500Name("CN=Labspace Test Network CA");
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(serial++), notBefore(), notAfter(), name, caKey.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        caCert = sign(builder);
    }

    /** Writes the CA certificate as PEM, for {@code labspace.tls.trusted-ca}. */
    Path writeCa(Path file) throws Exception {
        var body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(caCert.getEncoded());
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
    }

    /** A PKCS#12 keystore with a server certificate for 127.0.0.1 and localhost, issued by this CA. */
    Path serverKeystore(String name, Path file) throws Exception {
        var key = LabKeys.generate(KeyAlgorithm.EC_P256);
        var builder = new JcaX509v3CertificateBuilder(caCert, BigInteger.valueOf(serial++), notBefore(), notAfter(),
                new X500Name("CN=" + name), key.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        var store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(name, key.getPrivate(), KEYSTORE_PASSWORD.toCharArray(), new Certificate[]{sign(builder), caCert});
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (var out = Files.newOutputStream(file)) {
            store.store(out, KEYSTORE_PASSWORD.toCharArray());
        }
        return file;
    }

    private X509Certificate sign(JcaX509v3CertificateBuilder builder) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }
}
