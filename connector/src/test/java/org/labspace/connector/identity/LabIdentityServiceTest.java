package org.labspace.connector.identity;

import org.eclipse.edc.connector.controlplane.catalog.spi.CatalogRequestMessage;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.junit.jupiter.api.Test;
import org.labspace.connector.trust.CallerClaims;
import org.labspace.connector.trust.IdentityTokens;
import org.labspace.connector.trust.KeyAlgorithm;
import org.labspace.connector.trust.LabKeys;
import org.labspace.connector.trust.NetworkMember;
import org.labspace.connector.trust.NetworkRegistry;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The EDC side of lab identity: what reaches EDC's policy engine, and where tokens are addressed. */
class LabIdentityServiceTest {

    private final KeyPair madridKey = LabKeys.generate(KeyAlgorithm.EC_P256);
    private final KeyPair lisbonKey = LabKeys.generate(KeyAlgorithm.ED25519);
    private final NetworkRegistry registry = new NetworkRegistry("iberian-ai-labs", 4, Instant.now(), List.of(
            member("lab-madrid", "ES", "university", List.of("ethics-board-approved"), "http://127.0.0.1:19194/protocol", madridKey),
            member("lab-lisbon", "PT", "public-research", List.of(), "http://127.0.0.1:29194/protocol", lisbonKey)));
    private final ConsoleMonitor monitor = new ConsoleMonitor(ConsoleMonitor.Level.SEVERE, false);

    private static NetworkMember member(String id, String country, String type, List<String> accreditations, String dsp, KeyPair key) {
        return new NetworkMember(id, id, country, type, accreditations, dsp, dsp, List.of(
                NetworkMember.MemberKey.of(key.getPublic())), NetworkMember.ACTIVE);
    }

    // created before any token is issued: a lab refuses tokens issued before it started
    private final LabIdentityService madrid = lab("lab-madrid", madridKey);
    private final LabIdentityService lisbon = lab("lab-lisbon", lisbonKey);

    private static VerificationContext context() {
        return VerificationContext.Builder.newInstance().policy(Policy.Builder.newInstance().build()).build();
    }

    private LabIdentityService lab(String id, KeyPair key) {
        return new LabIdentityService(new IdentityTokens(id, key, () -> registry, Clock.systemUTC(), Duration.ofMinutes(2), Duration.ofSeconds(30)), monitor);
    }

    @Test
    void verifiedCallersFacts_becomeTheClaimsPoliciesSee() {
        var audience = new RegistryAudienceResolver(() -> registry).resolve(CatalogRequestMessage.Builder.newInstance()
                .counterPartyAddress("http://127.0.0.1:19194/protocol/2025-1").protocol("dataspace-protocol-http:2025-1").build());
        assertThat(audience.getContent()).isEqualTo("lab-madrid");

        var token = lisbon.obtainClientCredentials("lab-lisbon", TokenParameters.Builder.newInstance().claims("aud", audience.getContent()).build());
        var claims = madrid.verifyJwtToken("lab-madrid", token.getContent(), context());

        assertThat(claims.succeeded()).as(claims.getFailureDetail()).isTrue();
        assertThat(claims.getContent().getStringClaim(CallerClaims.PARTICIPANT_ID)).isEqualTo("lab-lisbon");
        assertThat(claims.getContent().getStringClaim(CallerClaims.COUNTRY)).isEqualTo("PT");
        assertThat(claims.getContent().getStringClaim(CallerClaims.ORGANIZATION_TYPE)).isEqualTo("public-research");
        assertThat(claims.getContent().getListClaim(CallerClaims.ACCREDITATIONS)).isEmpty();
        assertThat(new LabIdentityExtension().participantIdExtractionFunction().apply(claims.getContent())).isEqualTo("lab-lisbon");
    }

    @Test
    void tokenForAnotherLab_failsVerification() {
        var token = lisbon.obtainClientCredentials("lab-lisbon", TokenParameters.Builder.newInstance().claims("aud", "lab-porto").build());
        var claims = madrid.verifyJwtToken("lab-madrid", token.getContent(), context());
        assertThat(claims.failed()).isTrue();
        assertThat(claims.getFailureDetail()).contains("meant for [lab-porto]");
        assertThat(madrid.verifyJwtToken("lab-madrid", TokenRepresentation.Builder.newInstance().token("x").build(), context()).failed()).isTrue();
    }

    @Test
    void audience_unknownAddressOrMismatchedId_isRefused() {
        var resolver = new RegistryAudienceResolver(() -> registry);
        var unknown = resolver.resolve(CatalogRequestMessage.Builder.newInstance().counterPartyAddress("http://127.0.0.1:19194/protocolX")
                .protocol("dataspace-protocol-http:2025-1").build());
        assertThat(unknown.failed()).isTrue();
        assertThat(unknown.getFailureDetail()).contains("Labspace only talks to registered labs");

        var mismatch = resolver.resolve(CatalogRequestMessage.Builder.newInstance().counterPartyAddress("http://127.0.0.1:29194/protocol/")
                .counterPartyId("lab-madrid").protocol("dataspace-protocol-http:2025-1").build());
        assertThat(mismatch.getFailureDetail()).contains("belongs to 'lab-lisbon' in the registry, not to 'lab-madrid'");
    }
}
