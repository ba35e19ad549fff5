package org.labspace.connector.trust;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.labspace.connector.trust.TrustFixtures.member;
import static org.labspace.connector.trust.TrustFixtures.registry;

class RegistrySignatureTest {

    private final java.security.KeyPair operator = LabKeys.generate(KeyAlgorithm.EC_P256);
    private final NetworkRegistry registry = registry(3,
            member("lab-madrid", NetworkMember.ACTIVE, LabKeys.generate(KeyAlgorithm.EC_P256)),
            member("lab-lisbon", NetworkMember.SUSPENDED, LabKeys.generate(KeyAlgorithm.ED25519), LabKeys.generate(KeyAlgorithm.EC_P256)));

    @Test
    void signedRegistry_verifiesToTheSameRegistry_withEitherKeyType() throws Exception {
        assertThat(RegistrySignature.verify(RegistrySignature.sign(registry, operator), operator.getPublic())).isEqualTo(registry);
        var edOperator = LabKeys.generate(KeyAlgorithm.ED25519);
        assertThat(RegistrySignature.verify(RegistrySignature.sign(registry, edOperator), edOperator.getPublic())).isEqualTo(registry);
    }

    @Test
    void verify_registrySignedByAnotherKey_isRefusedNamingBothKeys() {
        var signed = RegistrySignature.sign(registry, LabKeys.generate(KeyAlgorithm.EC_P256));
        assertThatThrownBy(() -> RegistrySignature.verify(signed, operator.getPublic()))
                .isInstanceOf(TrustException.class)
                .hasMessageContaining("not by the configured operator key " + LabKeys.keyId(operator.getPublic()));
    }

    @Test
    void verify_forgedSignatureUnderTheOperatorsKeyId_isRefused() {
        // an attacker signs its own registry and copies the operator's key id into the header
        var forger = LabKeys.generate(KeyAlgorithm.EC_P256);
        var forged = RegistrySignature.sign(registry, forger).strip().split("\\.");
        var header = new String(Base64.getUrlDecoder().decode(forged[0]), StandardCharsets.UTF_8)
                .replace(LabKeys.keyId(forger.getPublic()), LabKeys.keyId(operator.getPublic()));
        var token = Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + forged[1] + "." + forged[2];

        assertThatThrownBy(() -> RegistrySignature.verify(token, operator.getPublic()))
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void verify_tamperedMemberEntry_isRefused() {
        var parts = RegistrySignature.sign(registry, operator).strip().split("\\.");
        var json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        var tampered = json.replace("\"suspended\"", "\"active\"");
        assertThat(tampered).isNotEqualTo(json);
        var token = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThatThrownBy(() -> RegistrySignature.verify(token, operator.getPublic()))
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void verify_brokenSignatureOrGarbage_isRefused() {
        var signed = RegistrySignature.sign(registry, operator).strip();
        var broken = signed.substring(0, signed.length() - 4) + (signed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> RegistrySignature.verify(broken, operator.getPublic())).hasMessageContaining("signature does not verify");
        assertThatThrownBy(() -> RegistrySignature.verify(RegistryJson.write(registry), operator.getPublic()))
                .hasMessageContaining("not a signed registry");
    }

    @Test
    void sign_registryWithProblems_isRefused() {
        var broken = new NetworkRegistry("", 1, registry.issuedAt(), registry.members());
        assertThatThrownBy(() -> RegistrySignature.sign(broken, operator))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'network' is missing");
    }

    @Test
    void json_refusesUnknownFieldsNamingThem() {
        var json = RegistryJson.write(registry).replace("\"accreditations\"", "\"acreditations\"");
        assertThatThrownBy(() -> RegistryJson.read(json)).hasMessageContaining("unknown field 'acreditations'");
    }
}
