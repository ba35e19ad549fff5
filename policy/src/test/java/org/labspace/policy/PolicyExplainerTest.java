package org.labspace.policy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyExplainerTest {

    static final Participant MADRID = new Participant("lab-madrid", "ES", "university", List.of("ethics-board-approved"), true);
    static final Participant LISBON = new Participant("lab-lisbon", "PT", "public-research", List.of(), true);
    static final Participant ACME = new Participant("acme-ai", "ES", "company", List.of("ethics-board-approved"), true);
    static final Participant PARIS = new Participant("lab-paris", "FR", "university", List.of("ethics-board-approved"), true);
    static final Participant SUSPENDED = new Participant("lab-porto", "PT", "university", List.of("ethics-board-approved"), false);
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final LabPolicy clinical = PolicyReader.read("clinical.yaml", PolicyReaderTest.CLINICAL);

    @Test
    void grantsWithRestrictionsAndDutiesWhenEveryConditionHolds() {
        var explanation = PolicyExplainer.explain(clinical, MADRID, "research.evaluation", NOW);

        assertThat(explanation.visible()).isTrue();
        assertThat(explanation.granted()).isTrue();
        assertThat(explanation.rule()).isEqualTo("ethics-approved");
        assertThat(explanation.restrictions()).containsExactly("with patient_name replaced by a salted hash, national_id blanked", "only rows where age >= 18");
        assertThat(explanation.duties()).containsExactly("duty: cite \"Lab Madrid clinical sandbox (2026)\"", "duty: delete the data within 180 days");
    }

    @Test
    void namesTheFailingConstraint() {
        var lisbon = PolicyExplainer.explain(clinical, LISBON, "research.evaluation", NOW);
        assertThat(lisbon.visible()).isTrue();
        assertThat(lisbon.granted()).isFalse();
        assertThat(lisbon.lines()).contains("  FAIL accreditation: lab-lisbon holds no accreditation; required: accreditations include ethics-board-approved",
                "  PASS organizationType: organizationType of lab-lisbon is public-research; required: organization type is one of university, public-research");

        var acme = PolicyExplainer.explain(clinical, ACME, "research.evaluation", NOW);
        assertThat(acme.granted()).isFalse();
        assertThat(acme.lines()).contains("  FAIL organizationType: organizationType of acme-ai is company; required: organization type is one of university, public-research");
    }

    @Test
    void hiddenParticipantsGetNoAgreementEvenWhenARuleWouldPass() {
        var paris = PolicyExplainer.explain(clinical, PARIS, "research.evaluation", NOW);
        assertThat(paris.visible()).isFalse();
        assertThat(paris.granted()).isFalse();
        assertThat(paris.lines()).contains("  FAIL memberCountry: memberCountry of lab-paris is FR; required: country is one of ES, PT");

        var suspended = PolicyExplainer.explain(clinical, SUSPENDED, "research.evaluation", NOW);
        assertThat(suspended.visible()).isFalse();
        assertThat(suspended.granted()).isFalse();
    }

    @Test
    void aPurposeNoRuleGrantsIsRefused() {
        var explanation = PolicyExplainer.explain(clinical, MADRID, "commercial", NOW);
        assertThat(explanation.granted()).isFalse();
        assertThat(explanation.lines()).contains("agreement: REFUSED: no rule of policy clinical-iberian grants the purpose commercial");
    }

    @Test
    void validityAndTransferCountDecideAtTransferTime() {
        var validFor = clinical.rules().get(0).find(Operand.VALID_FOR).orElseThrow();
        var signed = Instant.parse("2026-08-01T00:00:00Z");
        assertThat(ConstraintCheck.evaluate(validFor, new AccessFacts(MADRID, null, Instant.parse("2026-10-29T23:59:59Z"), signed, 0L)).passed()).isTrue();
        assertThat(ConstraintCheck.evaluate(validFor, new AccessFacts(MADRID, null, Instant.parse("2026-10-30T00:00:00Z"), signed, 0L)))
                .satisfies(v -> {
                    assertThat(v.passed()).isFalse();
                    assertThat(v.reason()).isEqualTo("the agreement expired at 2026-10-30T00:00:00Z (90 days after signature)");
                });
        var max = clinical.rules().get(0).find(Operand.MAX_TRANSFERS).orElseThrow();
        assertThat(ConstraintCheck.evaluate(max, new AccessFacts(MADRID, null, NOW, signed, 19L)).passed()).isTrue();
        assertThat(ConstraintCheck.evaluate(max, new AccessFacts(MADRID, null, NOW, signed, 20L)).passed()).isFalse();
        var until = Condition.of(Operand.VALID_UNTIL, Operator.EQ, List.of("2026-11-27"));
        assertThat(ConstraintCheck.evaluate(until, new AccessFacts(MADRID, null, NOW, signed, 0L)).passed()).isFalse();
    }

    @Test
    void theParagraphSaysWhatThePolicyDoes() {
        assertThat(PlainLanguage.paragraph(clinical)).isEqualTo("Datasets under policy clinical-iberian are visible in the catalog to members whose country is one of ES, PT."
                + " Rule ethics-approved grants agreements for non-commercial research or evaluation in research to members whose organization type is one of"
                + " university, public-research and accreditations include ethics-board-approved, valid for 90 days from signature; at most 20 transfers;"
                + " with patient_name replaced by a salted hash, national_id blanked; only rows where age >= 18. Users must cite: \"Lab Madrid clinical sandbox (2026)\"."
                + " Users must delete the data within 180 days.");
    }
}
