package org.labspace.connector.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CAs a lab trusts for HTTPS: the JDK's, plus a network's own CA from a PEM file. The connector's HTTP client
 * (EDC's) takes the JVM's default trust store, so {@link #installAsDefault} writes the combined store to the lab's data
 * folder and names it in the {@code javax.net.ssl.trustStore} properties before EDC creates its client; Labspace's
 * own clients take an {@link #sslContext}.
 */
public final class TrustedCertificates {

    // a trust store holds no secret; the password only satisfies the file format
    private static final String PASSWORD = "labspace-trust";

    private TrustedCertificates() {
    }

    /**
     * @throws IllegalArgumentException naming the file when it holds no usable certificate
     */
    public static KeyStore withJdkCas(Path caFile) {
        try {
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            var jdkCerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
            if (Files.exists(jdkCerts)) {
                var jdk = KeyStore.getInstance(KeyStore.getDefaultType());
                try (InputStream in = Files.newInputStream(jdkCerts)) {
                    jdk.load(in, null);
                }
                for (var alias : Collections.list(jdk.aliases())) {
                    if (jdk.isCertificateEntry(alias)) {
                        store.setCertificateEntry("jdk-" + alias, jdk.getCertificate(alias));
                    }
                }
            }
            var count = 0;
            try (InputStream in = Files.newInputStream(caFile)) {
                for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("labspace-ca-" + count++, (X509Certificate) cert);
                }
            }
            if (count == 0) {
                throw new IllegalArgumentException(caFile + " holds no PEM certificate");
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + caFile + " as trusted CA: " + e.getMessage(), e);
        }
    }

    public static SSLContext sslContext(Path caFile) {
        try {
            var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(withJdkCas(caFile));
            var context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + caFile + " as trusted CA: " + e.getMessage(), e);
        }
    }

    /** Makes every default HTTPS client of this JVM trust {@code caFile} too. */
    public static void installAsDefault(Path caFile, Path dir) {
        var store = withJdkCas(caFile);
        try {
            Files.createDirectories(dir);
            var file = dir.resolve("peers-truststore.p12");
            try (var out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD.toCharArray());
            }
            System.setProperty("javax.net.ssl.trustStore", file.toString());
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot write the trust store in " + dir + ": " + e.getMessage(), e);
        }
    }
}
