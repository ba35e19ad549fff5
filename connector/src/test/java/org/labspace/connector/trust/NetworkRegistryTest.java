package org.labspace.connector.trust;

import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkRegistryTest {

    private static NetworkMember member(String id, String country, String type, String status) {
        var key = LabKeys.generate(KeyAlgorithm.EC_P256).getPublic();
        return new NetworkMember(id, "Lab " + id, country, type, List.of("ethics-board-approved"),
                "https://" + id + ".example/protocol", "https://" + id + ".example/public",
                List.of(NetworkMember.MemberKey.of(key)), status);
    }

    @Test
    void problems_soundRegistry_hasNone() {
        var registry = new NetworkRegistry("iberian-ai-labs", 1, Instant.now(), List.of(
                member("lab-madrid", "ES", "university", "active"),
                member("lab-lisbon", "PT", "public-research", "suspended")));
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.member("lab-lisbon").isActive()).isFalse();
        assertThat(registry.member("nobody")).isNull();
    }

    @Test
    void problems_nameTheMemberAndField() {
        var good = member("lab-madrid", "ES", "university", "active");
        var tamperedKey = new NetworkMember("lab-tampered", "Lab", "ES", "company", List.of(), "https://t.example/p", "https://t.example/d",
                List.of(new NetworkMember.MemberKey(good.keys().get(0).kid(), LabKeys.publicPem(LabKeys.generate(KeyAlgorithm.EC_P256).getPublic()))), "active");
        var registry = new NetworkRegistry("", 0, null, List.of(
                good,
                member("lab-madrid", "ES", "university", "active"),
                member("lab-x", "XX", "startup", "paused"),
                new NetworkMember("lab-nokey", "Lab", "PT", "hospital", List.of(), "ftp://files", "not a url", List.of(), "active"),
                tamperedKey));

        assertThat(String.join("\n", registry.problems()))
                .contains("registry: 'network' is missing")
                .contains("registry: 'version' must be 1 or more")
                .contains("registry: 'issuedAt' is missing")
                .contains("member 'lab-madrid': listed twice")
                .contains("member 'lab-x': 'country' must be an ISO 3166-1 alpha-2 code such as ES or PT, got 'XX'")
                .contains("member 'lab-x': 'organizationType' must be one of")
                .contains("member 'lab-x': 'status' must be active or suspended, got 'paused'")
                .contains("member 'lab-nokey': 'dspEndpoint' must be an http(s) URL, got 'ftp://files'")
                .contains("member 'lab-nokey': 'dataEndpoint' must be an http(s) URL")
                .contains("member 'lab-nokey': needs at least one key")
                .contains("member 'lab-tampered': key id '" + good.keys().get(0).kid() + "' does not match its key");
    }

    @Test
    void parsePublicKey_acceptsP256AndEd25519_refusesOtherCurvesAndGarbage() throws Exception {
        assertThat(LabKeys.parsePublicKey(LabKeys.publicPem(LabKeys.generate(KeyAlgorithm.ED25519).getPublic())).getAlgorithm()).isIn("Ed25519", "EdDSA");
        assertThat(LabKeys.parsePublicKey(LabKeys.publicPem(LabKeys.generate(KeyAlgorithm.EC_P256).getPublic())).getAlgorithm()).isEqualTo("EC");

        var p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        var otherCurve = LabKeys.publicPem(p384.generateKeyPair().getPublic());
        assertThatThrownBy(() -> LabKeys.parsePublicKey(otherCurve)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabKeys.parsePublicKey("hello")).hasMessageContaining("not a PEM public key");
        assertThatThrownBy(() -> LabKeys.parsePublicKey("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----"))
                .hasMessageContaining("not base64");
    }
}
