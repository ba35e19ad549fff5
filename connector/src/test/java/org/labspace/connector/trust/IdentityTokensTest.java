package org.labspace.connector.trust;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.labspace.connector.trust.TrustFixtures.member;
import static org.labspace.connector.trust.TrustFixtures.registry;

class IdentityTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration LIFETIME = Duration.ofMinutes(2);
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final KeyPair madridKey = LabKeys.generate(KeyAlgorithm.EC_P256);
    private final KeyPair lisbonKey = LabKeys.generate(KeyAlgorithm.ED25519);
    private final KeyPair porto = LabKeys.generate(KeyAlgorithm.EC_P256);
    private final KeyPair rogueKey = LabKeys.generate(KeyAlgorithm.EC_P256);
    private final NetworkRegistry network = registry(7,
            member("lab-madrid", NetworkMember.ACTIVE, madridKey),
            member("lab-lisbon", NetworkMember.ACTIVE, lisbonKey),
            member("lab-porto", NetworkMember.SUSPENDED, porto));

    private IdentityTokens lab(String id, KeyPair key, Instant now) {
        return new IdentityTokens(id, key, () -> network, Clock.fixed(now, ZoneOffset.UTC), LIFETIME, SKEW);
    }

    private final IdentityTokens madrid = lab("lab-madrid", madridKey, NOW);

    @Test
    void tokenFromAMember_verifiesToTheRegistrysFactsAboutIt() throws Exception {
        var caller = madrid.verify(lab("lab-lisbon", lisbonKey, NOW).issue("lab-madrid"));

        assertThat(caller.participantId()).isEqualTo("lab-lisbon");
        assertThat(caller.country()).isEqualTo("ES");
        assertThat(caller.organizationType()).isEqualTo("university");
        assertThat(caller.accreditations()).containsExactly("ethics-board-approved");
        assertThat(caller.registryVersion()).isEqualTo(7);
    }

    @Test
    void bearerPrefix_isAccepted() throws Exception {
        assertThat(madrid.verify("Bearer " + lab("lab-lisbon", lisbonKey, NOW).issue("lab-madrid")).participantId()).isEqualTo("lab-lisbon");
    }

    @Test
    void replayedToken_isRefused() throws Exception {
        var token = lab("lab-lisbon", lisbonKey, NOW).issue("lab-madrid");
        madrid.verify(token);
        assertThatThrownBy(() -> madrid.verify(token)).hasMessageContaining("was already used: replay refused");
    }

    @Test
    void releasedToken_mayBePresentedOnceMore_forARetryOfARequestThatHadNoEffect() throws Exception {
        var token = lab("lab-lisbon", lisbonKey, NOW).issue("lab-madrid");
        var caller = madrid.verify(token);
        assertThat(caller.tokenId()).isNotBlank();
        madrid.release(caller);
        madrid.verify(token);
        assertThatThrownBy(() -> madrid.verify(token)).hasMessageContaining("replay refused");
    }

    @Test
    void tokenForAnotherLab_isRefused() {
        var token = lab("lab-lisbon", lisbonKey, NOW).issue("lab-porto");
        assertThatThrownBy(() -> madrid.verify(token)).hasMessageContaining("is meant for [lab-porto], not for 'lab-madrid'");
    }

    @Test
    void expiredToken_isRefused() {
        var token = lab("lab-lisbon", lisbonKey, NOW.minus(LIFETIME).minus(SKEW).minusSeconds(1)).issue("lab-madrid");
        assertThatThrownBy(() -> madrid.verify(token)).hasMessageContaining("expired at");
    }

    @Test
    void tokenIssuedBeforeTheConnectorStarted_isRefusedAsUncheckableForReplay() {
        var token = lab("lab-lisbon", lisbonKey, NOW.minusSeconds(5)).issue("lab-madrid");
        assertThatThrownBy(() -> madrid.verify(token)).hasMessageContaining("issued before this connector started");
    }

    @Test
    void tokenIssuedInTheSecondTheConnectorStarted_isAccepted() throws Exception {
        var start = Instant.parse("2026-11-28T10:00:00.987654321Z");
        var checker = lab("lab-madrid", madridKey, start);
        assertThat(checker.verify(lab("lab-lisbon", lisbonKey, start.plusNanos(1000)).issue("lab-madrid")).participantId()).isEqualTo("lab-lisbon");
    }

    @Test
    void suspendedMember_isRefused() {
        var token = lab("lab-porto", porto, NOW).issue("lab-madrid");
        assertThatThrownBy(() -> madrid.verify(token)).hasMessageContaining("'lab-porto' is suspended in registry version 7");
    }

    @Test
    void unknownParticipant_isRefused() {
        var token = lab("lab-acme", rogueKey, NOW).issue("lab-madrid");
        assertThatThrownBy(() -> madrid.verify(token)).hasMessageContaining("'lab-acme' is not a member of network 'test-network'");
    }

    @Test
    void peerClaimingAnotherLabsId_withItsOwnKey_isRefused() {
        var token = lab("lab-lisbon", rogueKey, NOW).issue("lab-madrid");
        assertThatThrownBy(() -> madrid.verify(token))
                .hasMessageContaining("claims to be from 'lab-lisbon' but is signed with key " + LabKeys.keyId(rogueKey.getPublic()) + ", which the registry does not list");
    }

    @Test
    void forgedSignature_underTheVictimsKeyId_isRefused() {
        var lisbonKid = LabKeys.keyId(lisbonKey.getPublic());
        // algorithm confusion: the header names the algorithm of the attacker's key, not of the victim's
        var confused = craft(rogueKey, JWSAlgorithm.ES256, lisbonKid, c -> c);
        assertThatThrownBy(() -> madrid.verify(confused)).hasMessageContaining("uses ES256 but key " + lisbonKid + " needs EdDSA");
        var forged = craft(rogueKey, JWSAlgorithm.EdDSA, lisbonKid, c -> c);
        assertThatThrownBy(() -> madrid.verify(forged)).hasMessageContaining("signature that does not verify");

        var madridKid = LabKeys.keyId(madridKey.getPublic());
        var forgedEc = craftAs("lab-madrid", rogueKey, madridKid, c -> c);
        var lisbon = lab("lab-lisbon", lisbonKey, NOW);
        assertThatThrownBy(() -> lisbon.verify(forgedEc)).hasMessageContaining("signature that does not verify");
    }

    @Test
    void overlongLifetimeOrMissingTokenId_isRefused() {
        var kid = LabKeys.keyId(madridKey.getPublic());
        var lisbon = lab("lab-lisbon", lisbonKey, NOW);
        var longLived = craftAs("lab-madrid", madridKey, kid, c -> c.expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))));
        assertThatThrownBy(() -> lisbon.verify(longLived)).hasMessageContaining("longer than the allowed PT5M");
        var noJti = craftAs("lab-madrid", madridKey, kid, c -> c.jwtID(null));
        assertThatThrownBy(() -> lisbon.verify(noJti)).hasMessageContaining("has no token id");
    }

    @Test
    void garbage_isRefused() {
        assertThatThrownBy(() -> madrid.verify("not-a-token")).hasMessage("identity token is not a signed JWT");
        assertThatThrownBy(() -> madrid.verify("")).hasMessage("no identity token");
    }

    @Test
    void lifetimeAboveFiveMinutes_cannotBeConfigured() {
        assertThatThrownBy(() -> new IdentityTokens("lab-madrid", madridKey, () -> network, Clock.systemUTC(), Duration.ofMinutes(6), SKEW))
                .hasMessageContaining("at most PT5M");
    }

    private static String craft(KeyPair signer, JWSAlgorithm algorithm, String kid, UnaryOperator<JWTClaimsSet.Builder> claims) {
        return craft("lab-lisbon", signer, algorithm, kid, claims);
    }

    private static String craftAs(String issuer, KeyPair signer, String kid, UnaryOperator<JWTClaimsSet.Builder> claims) {
        return craft(issuer, signer, JWSAlgorithm.ES256, kid, claims);
    }

    private static String craft(String issuer, KeyPair signer, JWSAlgorithm algorithm, String kid, UnaryOperator<JWTClaimsSet.Builder> claims) {
        var builder = new JWTClaimsSet.Builder().issuer(issuer).subject(issuer).audience(issuer.equals("lab-madrid") ? "lab-lisbon" : "lab-madrid")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plus(LIFETIME))).jwtID("t-" + System.nanoTime());
        // the header may claim any algorithm; the signature is always ES256 with the signer's key
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims.apply(builder).build());
        try {
            jwt.sign(new ECDSASigner((ECPrivateKey) signer.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (algorithm.equals(JWSAlgorithm.ES256)) {
            return jwt.serialize();
        }
        var parts = jwt.serialize().split("\\.");
        var header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"" + algorithm.getName() + "\",\"kid\":\"" + kid + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return header + "." + parts[1] + "." + parts[2];
    }
}
