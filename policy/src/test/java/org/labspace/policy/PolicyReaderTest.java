package org.labspace.policy;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyReaderTest {

    static final String CLINICAL = """
            policy: clinical-iberian
            description: Clinical sandbox for Iberian public research
            visibleTo:
              memberCountry: [ES, PT]
            allow:
              - name: ethics-approved
                purpose: [research.non-commercial, research.evaluation]
                when:
                  organizationType: {isAnyOf: [university, public-research]}
                  accreditation: ethics-board-approved
                validFor: P90D
                maxTransfers: 20
                restrict:
                  maskedColumns: [patient_name, national_id:null]
                  rowFilter: "age >= 18"
                duties:
                  attribution: "Lab Madrid clinical sandbox (2026)"
                  deleteAfter: P180D
            """;

    @Test
    void readsEverySection() {
        var policy = PolicyReader.read("clinical.yaml", CLINICAL);

        assertThat(policy.id()).isEqualTo("clinical-iberian");
        assertThat(policy.visibleTo()).singleElement().satisfies(c -> {
            assertThat(c.operand()).isEqualTo(Operand.MEMBER_COUNTRY);
            assertThat(c.operator()).isEqualTo(Operator.IS_ANY_OF);
            assertThat(c.values()).containsExactly("ES", "PT");
            assertThat(c.where().line()).isEqualTo(4);
        });
        var rule = policy.rules().get(0);
        assertThat(rule.purposes()).containsExactly("research.non-commercial", "research.evaluation");
        assertThat(rule.participantConditions()).extracting(Condition::operand, Condition::operator)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Operand.ORGANIZATION_TYPE, Operator.IS_ANY_OF),
                        org.assertj.core.groups.Tuple.tuple(Operand.ACCREDITATION, Operator.EQ));
        assertThat(rule.find(Operand.VALID_FOR)).get().extracting(Condition::value).isEqualTo("P90D");
        assertThat(rule.find(Operand.MASKED_COLUMNS)).get().extracting(Condition::values).asList().containsExactly("patient_name", "national_id:null");
        assertThat(rule.find(Operand.ROW_FILTER).orElseThrow().where().line()).isEqualTo(15);
        assertThat(rule.duties()).hasSize(2);
        PolicyValidator.validate(policy, LocalDate.of(2026, 11, 28), Map.of());
    }

    @Test
    void theSameStructureReadsFromJson() {
        var json = """
                {"policy": "open-eval", "allow": [{"purpose": "research.evaluation", "validFor": "P30D",
                  "when": {"memberCountry": {"neq": "FR"}}}]}
                """;
        var policy = PolicyReader.read("open.json", json);

        assertThat(policy.rules().get(0).name()).isEqualTo("rule-1");
        assertThat(policy.rules().get(0).participantConditions().get(0).operator()).isEqualTo(Operator.NEQ);
    }

    @Test
    void unknownAndMisplacedFieldsAreRefusedWithLineAndPath() {
        var text = """
                policy: bad
                allow:
                  - purpose: research.evaluation
                    when:
                      membercountry: ES
                      maskedColumns: [a]
                    validfor: P90D
                    restrict:
                      memberCountry: ES
                """;
        assertThatThrownBy(() -> PolicyReader.read("bad.yaml", text))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).extracting(PolicyProblem::toString).containsExactlyInAnyOrder(
                        "bad.yaml:7 ($.allow[0].validfor): unknown field 'validfor' in a rule (did you mean validFor?); known: duties, maxTransfers, name, purpose, restrict, validFor, validUntil, when",
                        "bad.yaml:5 ($.allow[0].when.membercountry): unknown condition 'membercountry' (did you mean memberCountry?); known here: memberCountry, organizationType, accreditation, participant",
                        "bad.yaml:6 ($.allow[0].when.maskedColumns): maskedColumns does not belong under 'when'; it goes under 'restrict'",
                        "bad.yaml:9 ($.allow[0].restrict.memberCountry): memberCountry does not belong under 'restrict'; it goes under 'when' (or 'visibleTo')"));
    }

    @Test
    void wrongShapesAndOperatorsAreRefused() {
        var text = """
                policy: Bad Id
                allow:
                  - purpose: {eq: research.evaluation}
                    when:
                      memberCountry: {isAnyOf: ES}
                      organizationType: {gt: university}
                """;
        assertThatThrownBy(() -> PolicyReader.read("shapes.yaml", text))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).extracting(PolicyProblem::message).containsExactlyInAnyOrder(
                        "the policy id 'Bad Id' must be lower-case letters, digits, '.', '_' or '-' (at most 64)",
                        "'purpose' must be one purpose or a list of purposes",
                        "isAnyOf takes a list of values, e.g. [ES, PT]",
                        "unknown operator 'gt'; use eq, neq, isAnyOf or isNoneOf"));
    }

    @Test
    void aPolicyWithoutRulesOrWithDuplicateKeysIsRefused() {
        assertThatThrownBy(() -> PolicyReader.read("empty.yaml", "policy: empty\n"))
                .hasMessage("empty.yaml:1 ($): 'allow' is missing: a policy needs at least one rule, or it would grant nothing");
        assertThatThrownBy(() -> PolicyReader.read("twice.yaml", "policy: a\npolicy: b\nallow: []\n"))
                .hasMessageContaining("twice.yaml:2 ($.policy): 'policy' is given twice");
        assertThatThrownBy(() -> PolicyReader.read("broken.yaml", "policy: [a\n"))
                .hasMessageStartingWith("broken.yaml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> PolicyReader.read("blank.yaml", "   \n"))
                .hasMessageContaining("the file is empty");
    }
}
