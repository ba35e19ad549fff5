package org.labspace.policy;

import java.util.ArrayList;
import java.util.List;

/** The dry run: what a policy decides for one participant and purpose, constraint by constraint. */
public final class PolicyExplainer {

    /**
     * @param visible      whether the datasets show in the participant's catalog
     * @param visibility   one verdict per visibility condition
     * @param granted      whether a negotiation for the purpose would end in an agreement
     * @param rule         the rule that grants it, or null
     * @param rules        per rule offering the purpose, its verdicts at negotiation
     * @param restrictions what the data plane would apply under the granting rule, in words
     * @param duties       the duties of the granting rule, in words
     */
    public record Explanation(String policyId, String participant, String purpose, boolean visible, List<Verdict> visibility,
                              boolean granted, String rule, List<RuleVerdicts> rules, List<String> restrictions, List<String> duties) {

        /** The decision and one line per constraint. */
        public List<String> lines() {
            var out = new ArrayList<String>();
            out.add("catalog: " + (visible ? "visible" : "hidden") + " to " + participant);
            visibility.forEach(v -> out.add("  " + v));
            if (rules.isEmpty()) {
                out.add("agreement: REFUSED: no rule of policy " + policyId + " grants the purpose " + purpose);
            }
            for (var r : rules) {
                out.add("rule " + r.rule() + ": " + (r.passed() ? "grants" : "refuses") + " " + purpose);
                r.verdicts().forEach(v -> out.add("  " + v));
            }
            out.add("agreement: " + (granted ? "GRANTED under rule " + rule : "REFUSED"));
            restrictions.forEach(r -> out.add("  data: " + r));
            duties.forEach(d -> out.add("  duty: " + d));
            return out;
        }
    }

    public record RuleVerdicts(String rule, boolean passed, List<Verdict> verdicts) {
    }

    private PolicyExplainer() {
    }

    /** Decides as at negotiation time: no agreement yet, so validity counts from now and no transfer is used. */
    public static Explanation explain(LabPolicy policy, Participant participant, String purpose, java.time.Instant now) {
        var facts = new AccessFacts(participant, purpose, now, null, null);
        var visibility = policy.visibleTo().stream().map(c -> ConstraintCheck.evaluate(c, facts)).toList();
        var visible = participant != null && participant.active() && visibility.stream().allMatch(Verdict::passed);
        var rules = new ArrayList<RuleVerdicts>();
        Rule granting = null;
        for (var rule : policy.rules()) {
            if (!rule.purposes().contains(purpose)) {
                continue;
            }
            var verdicts = new ArrayList<Verdict>();
            verdicts.add(ConstraintCheck.evaluate(Condition.of(Operand.PURPOSE, Operator.EQ, List.of(purpose)), facts));
            rule.participantConditions().forEach(c -> verdicts.add(ConstraintCheck.evaluate(c, facts)));
            rule.terms().forEach(c -> verdicts.add(ConstraintCheck.evaluate(c, facts)));
            var passed = visible && verdicts.stream().allMatch(Verdict::passed);
            rules.add(new RuleVerdicts(rule.name(), passed, verdicts));
            if (passed && granting == null) {
                granting = rule;
            }
        }
        var restrictions = granting == null ? List.<String>of() : granting.restrictions().stream().map(PlainLanguage::restriction).toList();
        var duties = granting == null ? List.<String>of() : granting.duties().stream().map(c -> ConstraintCheck.evaluate(c, facts).reason()).toList();
        return new Explanation(policy.id(), participant == null ? "an unknown participant" : participant.id(), purpose, visible, visibility,
                granting != null, granting == null ? null : granting.name(), rules, restrictions, duties);
    }
}
