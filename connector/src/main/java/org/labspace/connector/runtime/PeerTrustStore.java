package org.labspace.connector.runtime;

import org.labspace.connector.config.ConfigException;
import org.labspace.connector.config.LabSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Makes the connector trust a network's own CA for peers' HTTPS, on top of the JDK's CAs. EDC's HTTP client takes
 * the JVM's default trust store, so the combined store is written to the lab's data folder and named in the
 * {@code javax.net.ssl.trustStore} properties before EDC creates its client.
 */
final class PeerTrustStore {

    // a trust store holds no secret; the password only satisfies the file format
    private static final String PASSWORD = "labspace-trust";

    private PeerTrustStore() {
    }

    static void install(Path caFile, Path dir) {
        try {
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            var jdkCerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
            if (Files.exists(jdkCerts)) {
                var jdk = KeyStore.getInstance(KeyStore.getDefaultType());
                try (InputStream in = Files.newInputStream(jdkCerts)) {
                    jdk.load(in, null);
                }
                for (var alias : java.util.Collections.list(jdk.aliases())) {
                    if (jdk.isCertificateEntry(alias)) {
                        store.setCertificateEntry("jdk-" + alias, jdk.getCertificate(alias));
                    }
                }
            }
            int count = 0;
            try (InputStream in = Files.newInputStream(caFile)) {
                for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("labspace-ca-" + count++, (X509Certificate) cert);
                }
            }
            if (count == 0) {
                throw new ConfigException("setting '" + LabSettings.TLS_TRUSTED_CA + "': " + caFile + " holds no PEM certificate");
            }
            Files.createDirectories(dir);
            var file = dir.resolve("peers-truststore.p12");
            try (var out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD.toCharArray());
            }
            System.setProperty("javax.net.ssl.trustStore", file.toString());
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("setting '" + LabSettings.TLS_TRUSTED_CA + "': cannot use " + caFile + " as trusted CA: " + e.getMessage());
        }
    }
}
