package org.labspace.policy;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OdrlCompilerTest {

    @Test
    void everyRuleAndPurposeBecomesItsOwnOffer() {
        var compiled = OdrlCompiler.compile(PolicyReader.read("clinical.yaml", PolicyReaderTest.CLINICAL));

        assertThat(compiled.offers()).extracting(CompiledPolicy.Offer::definitionId)
                .containsExactly("clinical-iberian~ethics-approved~research.non-commercial", "clinical-iberian~ethics-approved~research.evaluation");
        var first = compiled.offers().get(0).policy().permissions().get(0);
        assertThat(first.action()).isEqualTo(Odrl.USE);
        assertThat(first.constraints().get(0)).isEqualTo(new Odrl.Constraint(Operand.PURPOSE.iri(), Operator.EQ, "research.non-commercial"));
        assertThat(first.constraints()).contains(new Odrl.Constraint(Operand.ORGANIZATION_TYPE.iri(), Operator.IS_ANY_OF, List.of("university", "public-research")),
                new Odrl.Constraint(Operand.MASKED_COLUMNS.iri(), Operator.EQ, "patient_name,national_id:null"));
        assertThat(compiled.access().permissions().get(0).constraints())
                .containsExactly(new Odrl.Constraint(Operand.MEMBER_COUNTRY.iri(), Operator.IS_ANY_OF, List.of("ES", "PT")));
    }

    @Test
    void storedDefinitionsReadBackToTheSamePolicy() {
        var policy = PolicyReader.read("clinical.yaml", PolicyReaderTest.CLINICAL);
        var compiled = OdrlCompiler.compile(policy);
        var offers = new LinkedHashMap<String, Odrl.Policy>();
        compiled.offers().forEach(o -> offers.put(o.definitionId(), o.policy()));

        var back = OdrlCompiler.decompile(policy.id(), policy.description(), compiled.access(), offers);

        assertThat(PolicyWriter.yaml(back)).isEqualTo(PolicyWriter.yaml(policy));
        // and the YAML reads back as the same policy
        assertThat(PolicyWriter.yaml(PolicyReader.read("again.yaml", PolicyWriter.yaml(back)))).isEqualTo(PolicyWriter.yaml(policy));
    }

    @Test
    void aStoredPolicyWithAnOperandLabspaceCannotEvaluateIsRefused() {
        var foreign = Odrl.Policy.of(new Odrl.Permission(Odrl.USE, List.of(new Odrl.Constraint("https://example.org/region", Operator.EQ, "eu"))));

        assertThatThrownBy(() -> OdrlCompiler.decompile("raw", "", foreign, java.util.Map.of()))
                .hasMessageContaining("a constraint on 'https://example.org/region', which Labspace cannot evaluate (EDC would drop it silently)");
    }
}
