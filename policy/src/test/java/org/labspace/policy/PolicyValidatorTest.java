package org.labspace.policy;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyValidatorTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 28);

    private static void refused(String yaml, String message) {
        refused(yaml, Map.of(), message);
    }

    private static void refused(String yaml, Map<String, Set<String>> datasets, String message) {
        var policy = PolicyReader.read("p.yaml", yaml);
        assertThatThrownBy(() -> PolicyValidator.validate(policy, TODAY, datasets)).isInstanceOf(PolicyException.class).hasMessageContaining(message);
    }

    @Test
    void valuesOfTheWrongTypeAreRefused() {
        refused("policy: p\nallow:\n  - purpose: research.fun\n", "p.yaml:3 ($.allow[0].purpose): unknown purpose 'research.fun'");
        refused("policy: p\nallow:\n  - purpose: education\n    when:\n      memberCountry: Spain\n",
                "p.yaml:5 ($.allow[0].when.memberCountry): 'Spain' is not a two-letter country code such as ES or PT");
        refused("policy: p\nallow:\n  - purpose: education\n    when:\n      organizationType: univeristy\n",
                "unknown organization type 'univeristy' (did you mean university?)");
        refused("policy: p\nallow:\n  - purpose: education\n    validFor: 90 days\n", "'90 days' is not an ISO 8601 duration");
        refused("policy: p\nallow:\n  - purpose: education\n    validFor: P0D\n", "'P0D' is not a positive duration");
        refused("policy: p\nallow:\n  - purpose: education\n    validUntil: 2026-11-27\n", "validUntil 2026-11-27 is already past");
        refused("policy: p\nallow:\n  - purpose: education\n    maxTransfers: 0\n", "'0' must be at least 1");
        refused("policy: p\nallow:\n  - purpose: education\n    maxTransfers: many\n", "'many' is not a whole number");
        refused("policy: p\nallow:\n  - purpose: education\n    restrict:\n      rowFilter: \"age >>= 3\"\n", "p.yaml:5 ($.allow[0].restrict.rowFilter): rowFilter does not parse");
        refused("policy: p\nallow:\n  - purpose: education\n    restrict:\n      maskedColumns: [name:scramble]\n", "has mask 'scramble'; use hash or null");
    }

    @Test
    void contradictionsAreRefused() {
        refused("policy: p\nallow:\n  - purpose: education\n    when:\n      memberCountry: {eq: ES, neq: ES}\n",
                "contradiction in rule 'rule-1': no participant can meet every condition on memberCountry");
        refused("policy: p\nvisibleTo:\n  memberCountry: ES\nallow:\n  - purpose: education\n    when:\n      memberCountry: PT\n",
                "contradiction in rule 'rule-1' together with visibleTo: no participant can meet every condition on memberCountry");
        refused("policy: p\nallow:\n  - purpose: education\n    when:\n      accreditation: {eq: ethics, isNoneOf: [ethics, gdpr]}\n",
                "accreditation 'ethics' is both required and excluded");
        refused("policy: p\nallow:\n  - purpose: education\n    restrict:\n      allowedColumns: [a, b]\n      deniedColumns: [b]\n",
                "column 'b' is both allowed and denied");
        refused("policy: p\nallow:\n  - purpose: education\n    restrict:\n      deniedColumns: [a]\n      maskedColumns: [a]\n",
                "column 'a' is both masked and denied");
        refused("policy: p\nallow:\n  - purpose: education\n    restrict:\n      allowedColumns: [a]\n      maskedColumns: [b]\n",
                "masked column 'b' is not among the allowed columns");
        refused("policy: p\nallow:\n  - purpose: [education, education]\n", "purpose 'education' is listed twice");
        assertThatThrownBy(() -> PolicyReader.read("p.yaml", "policy: p\nallow:\n  - name: x\n    purpose: education\n  - name: x\n    purpose: commercial\n"))
                .hasMessageContaining("p.yaml:5 ($.allow[1]): two rules are named 'x'");
    }

    @Test
    void columnsMustExistInEveryTargetDataset() {
        var yaml = "policy: p\nallow:\n  - purpose: education\n    restrict:\n      maskedColumns: [patient_name]\n      rowFilter: \"age >= 18\"\n";
        refused(yaml, Map.of("clinical", Set.of("patient_name", "diagnosis")),
                "rule 'rule-1' names column age that dataset 'clinical' lacks; its columns: ");
        assertThatCode(() -> PolicyValidator.validate(PolicyReader.read("p.yaml", yaml), TODAY, Map.of("clinical", Set.of("patient_name", "age"))))
                .doesNotThrowAnyException();
    }

    @Test
    void aConsistentPolicyPasses() {
        assertThatCode(() -> PolicyValidator.validate(PolicyReader.read("clinical.yaml", PolicyReaderTest.CLINICAL), TODAY,
                Map.of("clinical", Set.of("patient_name", "national_id", "age", "diagnosis")))).doesNotThrowAnyException();
    }
}
