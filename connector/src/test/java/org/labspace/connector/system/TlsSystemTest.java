package org.labspace.connector.system;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.config.LabSettings;
import org.labspace.connector.launch.LabProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two labs serving HTTPS only, with certificates from a CA the test makes and each lab trusts through
 * {@code labspace.tls.trusted-ca}: they find each other's catalog and negotiate over TLS.
 */
@Tag("runtime")
class TlsSystemTest {

    @TempDir
    Path dir;

    @Test
    void labsWithTheirNetworksCa_negotiateOverHttps() throws Exception {
        var certificates = new TestCertificates();
        var ca = certificates.writeCa(dir.resolve("tls/network-ca.pem"));
        var network = TestLab.network(dir);
        var providerConfig = TestLab.config(network, "lab-provider", dir.resolve("provider"), tls(certificates, ca, "lab-provider"));
        var consumerConfig = TestLab.config(network, "lab-consumer", dir.resolve("consumer"), tls(certificates, ca, "lab-consumer"));
        assertThat(network.publish().member("lab-provider").dspEndpoint()).startsWith("https://127.0.0.1:");

        try (var provider = TestLab.process("lab-provider", TestLab.write(dir.resolve("provider.properties"), providerConfig), dir).start(Duration.ofSeconds(180));
             var consumer = TestLab.process("lab-consumer", TestLab.write(dir.resolve("consumer.properties"), consumerConfig), dir).start(Duration.ofSeconds(180))) {
            assertThat(provider.protocolUrl().getScheme()).isEqualTo("https");
            assertCleartextAndUntrustedClientsFail(provider);

            var p = provider.management();
            p.createAsset("tls-dataset", Map.of("name", "served over TLS"), Map.of("type", "HttpData", "baseUrl", "https://data.example/tls"));
            p.createPolicy("tls-policy", p.emptyPolicy());
            p.createContractDefinition("tls-offer", "tls-policy", "tls-policy", List.of("tls-dataset"));

            var c = consumer.management();
            var catalog = c.requestCatalog(provider.protocolUrl().toString(), "lab-provider");
            var offer = ManagementClient.firstOfferId(ManagementClient.datasets(catalog).get(0));
            var negotiation = c.awaitNegotiation(c.negotiate(provider.protocolUrl().toString(), "lab-provider", offer, "tls-dataset"), Duration.ofSeconds(60));

            assertThat(negotiation.path("state").asText()).as(negotiation.toString()).isEqualTo("FINALIZED");
            assertThat(c.queryAgreements()).singleElement().satisfies(a -> assertThat(a.path("providerId").asText()).isEqualTo("lab-provider"));
        }
    }

    private Map<String, String> tls(TestCertificates certificates, Path ca, String lab) throws Exception {
        return Map.of(
                LabSettings.TLS_KEYSTORE, certificates.serverKeystore(lab, dir.resolve("tls").resolve(lab + ".p12")).toString(),
                LabSettings.TLS_KEYSTORE_PASSWORD, TestCertificates.KEYSTORE_PASSWORD,
                LabSettings.TLS_KEYMANAGER_PASSWORD, TestCertificates.KEYSTORE_PASSWORD,
                LabSettings.TLS_TRUSTED_CA, ca.toString());
    }

    private static void assertCleartextAndUntrustedClientsFail(LabProcess lab) throws Exception {
        var wellKnown = URI.create(lab.protocolUrl() + "/.well-known/dspace-version");
        var plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(wellKnown).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .as("the JDK's CAs alone do not trust the network's CA")
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("PKIX path building failed");
        var cleartext = URI.create(wellKnown.toString().replaceFirst("^https:", "http:"));
        try {
            var response = plain.send(HttpRequest.newBuilder(cleartext).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("cleartext HTTP is not served").isNotEqualTo(200);
        } catch (java.io.IOException expected) {
            // the TLS port drops a cleartext request: also fine
        }
    }
}
