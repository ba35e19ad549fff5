package org.labspace.connector.trust;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.labspace.connector.trust.TrustFixtures.member;
import static org.labspace.connector.trust.TrustFixtures.registry;

class TrustedRegistryTest {

    @TempDir
    Path dir;
    private final KeyPair operator = LabKeys.generate(KeyAlgorithm.EC_P256);
    private final NetworkMember madrid = member("lab-madrid", NetworkMember.ACTIVE, LabKeys.generate(KeyAlgorithm.EC_P256));
    private final NetworkMember lisbon = member("lab-lisbon", NetworkMember.ACTIVE, LabKeys.generate(KeyAlgorithm.EC_P256));
    private final List<String> warnings = new ArrayList<>();
    private final TrustLog log = new TrustLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    };

    private Path publish(NetworkRegistry registry, KeyPair signer) throws Exception {
        var file = dir.resolve("published.jws");
        Files.writeString(file, RegistrySignature.sign(registry, signer));
        return file;
    }

    private TrustedRegistry trusted(Path source) {
        return new TrustedRegistry(source.toString(), operator.getPublic(), dir.resolve("state"), log, HttpClient.newHttpClient());
    }

    @Test
    void refresh_adoptsNewerVersion_refusesRollbackAndKeepsTheNewer() throws Exception {
        var source = publish(registry(1, madrid), operator);
        var trusted = trusted(source);
        trusted.load();
        assertThat(trusted.current().version()).isEqualTo(1);

        publish(registry(2, madrid, lisbon), operator);
        assertThat(trusted.refresh()).isTrue();
        assertThat(trusted.current().member("lab-lisbon")).isNotNull();

        publish(registry(1, madrid), operator);
        assertThat(trusted.refresh()).isFalse();
        assertThat(trusted.refresh()).isFalse();
        assertThat(trusted.current().version()).isEqualTo(2);
        assertThat(warnings).filteredOn(w -> w.contains("version 1 is older than version 2 already trusted: rollback refused")).as("reported once").hasSize(1);
    }

    @Test
    void rollbackCheck_survivesARestart() throws Exception {
        var source = publish(registry(5, madrid, lisbon), operator);
        trusted(source).load();

        publish(registry(4, madrid), operator);
        var restarted = trusted(source);
        restarted.load();

        assertThat(restarted.current().version()).isEqualTo(5);
        assertThat(warnings).anyMatch(w -> w.contains("rollback refused"));
    }

    @Test
    void sameVersionDifferentContent_isRefused() throws Exception {
        var source = publish(registry(2, madrid), operator);
        var trusted = trusted(source);
        trusted.load();
        publish(registry(2, madrid, lisbon), operator);

        assertThat(trusted.refresh()).isFalse();
        assertThat(trusted.current().member("lab-lisbon")).isNull();
        assertThat(warnings).anyMatch(w -> w.contains("the operator must raise the version"));
    }

    @Test
    void badSignatureOrUnreachableSource_keepsTheLastGoodRegistry() throws Exception {
        var source = publish(registry(1, madrid), operator);
        var trusted = trusted(source);
        trusted.load();

        publish(registry(2, madrid, lisbon), LabKeys.generate(KeyAlgorithm.EC_P256));
        assertThat(trusted.refresh()).isFalse();
        Files.delete(source);
        assertThat(trusted.refresh()).isFalse();

        assertThat(trusted.current().version()).isEqualTo(1);
        assertThat(warnings).anyMatch(w -> w.contains("not by the configured operator key"));
        assertThat(warnings).anyMatch(w -> w.contains("cannot read the registry"));

        var restarted = trusted(source);
        restarted.load(); // source gone: the stored copy still lets the lab start
        assertThat(restarted.current().version()).isEqualTo(1);
    }

    @Test
    void registryFromAUrl_isFetched_andAnErrorAnswerKeepsTheLastGood() throws Exception {
        var server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        try {
            server.stubFor(get("/registry.jws").willReturn(ok(RegistrySignature.sign(registry(3, madrid), operator))));
            var url = "http://127.0.0.1:" + server.port() + "/registry.jws";
            var trusted = new TrustedRegistry(url, operator.getPublic(), dir.resolve("state"), log, HttpClient.newHttpClient());
            trusted.load();
            assertThat(trusted.current().version()).isEqualTo(3);

            server.stubFor(get("/registry.jws").willReturn(aResponse().withStatus(500)));
            assertThat(trusted.refresh()).isFalse();
            assertThat(trusted.current().version()).isEqualTo(3);
            assertThat(warnings).anyMatch(w -> w.contains(url + " answered HTTP 500"));
        } finally {
            server.stop();
        }
    }

    @Test
    void newOperatorKey_ignoresTheStoredRegistryTheOldKeySigned() throws Exception {
        var source = publish(registry(9, madrid, lisbon), operator);
        trusted(source).load();

        var newOperator = LabKeys.generate(KeyAlgorithm.EC_P256);
        publish(registry(1, madrid), newOperator);
        var rotated = new TrustedRegistry(source.toString(), newOperator.getPublic(), dir.resolve("state"), log, HttpClient.newHttpClient());
        rotated.load();

        assertThat(rotated.current().version()).isEqualTo(1);
        assertThat(warnings).anyMatch(w -> w.contains("ignoring the stored registry"));
    }

    @Test
    void load_withNothingTrustworthy_failsSayingWhy() throws Exception {
        var source = publish(registry(1, madrid), LabKeys.generate(KeyAlgorithm.EC_P256));
        assertThatThrownBy(() -> trusted(source).load())
                .isInstanceOf(TrustException.class)
                .hasMessageStartingWith("no trusted network registry: ")
                .hasMessageContaining("not by the configured operator key");
        assertThat(dir.resolve("state").resolve(TrustedRegistry.STATE_FILE)).doesNotExist();
    }
}
