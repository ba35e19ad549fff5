package org.labspace.policy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AgreementTermsTest {

    private static final Instant SIGNED = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void readsPurposeExpiryRestrictionsAndDutiesFromTheSignedPolicy() {
        var offer = OdrlCompiler.compile(PolicyReader.read("clinical.yaml", PolicyReaderTest.CLINICAL)).offers().get(1);

        var terms = AgreementTerms.of(offer.policy(), SIGNED);

        assertThat(terms.purpose()).isEqualTo("research.evaluation");
        assertThat(terms.expiresAt()).isEqualTo(Instant.parse("2027-01-30T10:00:00Z"));
        assertThat(terms.maxTransfers()).isEqualTo(20L);
        assertThat(terms.restrictions()).containsExactly("with patient_name replaced by a salted hash, national_id blanked", "only rows where age >= 18");
        assertThat(terms.duties()).containsExactly("duty: cite \"Lab Madrid clinical sandbox (2026)\"", "duty: delete the data within 180 days");
        assertThat(terms.expiredAt(Instant.parse("2027-01-30T09:59:59Z"))).isNull();
        assertThat(terms.expiredAt(Instant.parse("2027-01-30T10:00:00Z"))).isEqualTo("the agreement expired at 2027-01-30T10:00:00Z");
    }

    @Test
    void theEarlierOfValidForAndValidUntilEndsTheAgreement() {
        var policy = Odrl.Policy.of(new Odrl.Permission(Odrl.USE, List.of(
                new Odrl.Constraint(Operand.VALID_FOR.iri(), Operator.EQ, "P1Y"),
                new Odrl.Constraint(Operand.VALID_UNTIL.iri(), Operator.EQ, "2026-12-31"))));

        assertThat(AgreementTerms.of(policy, SIGNED).expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(AgreementTerms.of(Odrl.Policy.of(new Odrl.Permission(Odrl.USE, List.of())), SIGNED).expiresAt()).isNull();
    }

    @Test
    void anUnreadableTermIsShownNotIgnored() {
        var policy = Odrl.Policy.of(new Odrl.Permission(Odrl.USE, List.of(new Odrl.Constraint(Operand.VALID_FOR.iri(), Operator.EQ, "soon"))));

        assertThat(AgreementTerms.of(policy, SIGNED).restrictions()).containsExactly("unreadable validFor: soon");
    }
}
