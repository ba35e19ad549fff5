package org.labspace.policy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplatesTest {

    @Test
    void everyTemplateMakesAValidPolicy() {
        for (var name : Templates.NAMES) {
            var parameters = name.equals("research-pii-masked") ? Map.of("columns", "patient_name") : Map.<String, String>of();
            var policy = PolicyReader.read(name, Templates.render(name, "t-" + name, parameters));
            PolicyValidator.validate(policy, LocalDate.of(2026, 11, 28), Map.of());
            assertThat(policy.id()).isEqualTo("t-" + name);
            assertThat(Templates.summary(name)).isNotBlank();
        }
    }

    @Test
    void templatesDecideAsTheirNamesSay() {
        var iberian = PolicyReader.read("t", Templates.render("iberian-members", "iberian", Map.of()));
        assertThat(PolicyExplainer.explain(iberian, PolicyExplainerTest.LISBON, "education", Instant.now()).granted()).isTrue();
        assertThat(PolicyExplainer.explain(iberian, PolicyExplainerTest.PARIS, "education", Instant.now()).visible()).isFalse();

        var nonCommercial = PolicyReader.read("t", Templates.render("non-commercial-research", "nc", Map.of()));
        assertThat(PolicyExplainer.explain(nonCommercial, PolicyExplainerTest.ACME, "research.non-commercial", Instant.now()).granted()).isFalse();
        assertThat(PolicyExplainer.explain(nonCommercial, PolicyExplainerTest.MADRID, "research.non-commercial", Instant.now()).granted()).isTrue();

        var masked = PolicyReader.read("t", Templates.render("research-pii-masked", "pii", Map.of("columns", "name, national_id:null")));
        assertThat(masked.rules().get(0).find(Operand.MASKED_COLUMNS).orElseThrow().values()).containsExactly("name", "national_id:null");
        assertThat(masked.rules().get(0).find(Operand.VALID_FOR).orElseThrow().value()).isEqualTo("P90D");
    }

    @Test
    void missingUnknownAndMisspeltParametersAreRefused() {
        assertThatThrownBy(() -> Templates.render("research-pii-masked", "x", Map.of()))
                .hasMessageContaining("the template needs the parameter columns (--param NAME=VALUE)");
        assertThatThrownBy(() -> Templates.render("members-only", "x", Map.of("colour", "red")))
                .hasMessageContaining("the template has no parameter colour");
        assertThatThrownBy(() -> Templates.render("member-only", "x", Map.of()))
                .hasMessageContaining("no template named 'member-only' (did you mean members-only?)");
    }
}
