package org.labspace.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compiles a {@link LabPolicy} to ODRL, and reads stored ODRL back into the readable form. */
public final class OdrlCompiler {

    private OdrlCompiler() {
    }

    public static CompiledPolicy compile(LabPolicy policy) {
        var access = Odrl.Policy.of(new Odrl.Permission(Odrl.USE, constraints(policy.visibleTo())));
        var offers = new ArrayList<CompiledPolicy.Offer>();
        for (var rule : policy.rules()) {
            for (var purpose : rule.purposes()) {
                var constraints = new ArrayList<Odrl.Constraint>();
                constraints.add(new Odrl.Constraint(Operand.PURPOSE.iri(), Operator.EQ, purpose));
                constraints.addAll(constraints(rule.conditions()));
                offers.add(new CompiledPolicy.Offer(CompiledPolicy.offerId(policy.id(), rule.name(), purpose), rule.name(), purpose,
                        Odrl.Policy.of(new Odrl.Permission(Odrl.USE, constraints))));
            }
        }
        return new CompiledPolicy(policy.id(), access, offers);
    }

    private static List<Odrl.Constraint> constraints(List<Condition> conditions) {
        return conditions.stream().map(OdrlCompiler::constraint).toList();
    }

    private static Odrl.Constraint constraint(Condition condition) {
        var operand = condition.operand();
        Object right;
        if (condition.operator().takesList()) {
            right = condition.values();
        } else if (operand.kind() == Operand.Kind.COLUMNS || operand.kind() == Operand.Kind.MASKS) {
            right = String.join(",", condition.values());
        } else {
            right = condition.value();
        }
        return new Odrl.Constraint(operand.iri(), condition.operator(), right);
    }

    /**
     * Reads a policy back from its stored definitions.
     *
     * @param access the access definition's policy, or null when it is missing
     * @param offers offer definition id to policy
     * @throws PolicyException when a definition holds constraints Labspace does not know
     */
    public static LabPolicy decompile(String policyId, String description, Odrl.Policy access, Map<String, Odrl.Policy> offers) {
        var problems = new ArrayList<PolicyProblem>();
        var visibleTo = access == null ? List.<Condition>of() : conditions(access, policyId, problems);
        var rules = new LinkedHashMap<String, List<String>>();
        var conditions = new LinkedHashMap<String, List<Condition>>();
        for (var offer : offers.entrySet()) {
            var parts = offer.getKey().split(CompiledPolicy.SEPARATOR, -1);
            var rule = parts.length == 3 ? parts[1] : offer.getKey();
            var all = conditions(offer.getValue(), offer.getKey(), problems);
            var purposes = all.stream().filter(c -> c.operand() == Operand.PURPOSE).map(Condition::value).toList();
            var rest = all.stream().filter(c -> c.operand() != Operand.PURPOSE).toList();
            if (conditions.containsKey(rule) && !sameTerms(conditions.get(rule), rest)) {
                // offers of one rule differ only in their purpose; otherwise show them as rules of their own
                rule = rule + "-" + (conditions.size() + 1);
            }
            conditions.put(rule, rest);
            rules.computeIfAbsent(rule, r -> new ArrayList<>()).addAll(purposes);
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        var out = new ArrayList<Rule>();
        rules.forEach((name, purposes) -> out.add(new Rule(name, purposes, conditions.get(name), new SourceRef(policyId, 0, name))));
        return new LabPolicy(policyId, description, visibleTo, out, new SourceRef(policyId, 0, "$"));
    }

    private static boolean sameTerms(List<Condition> a, List<Condition> b) {
        return a.stream().map(c -> List.of(c.operand(), c.operator(), c.values())).toList()
                .equals(b.stream().map(c -> List.of(c.operand(), c.operator(), c.values())).toList());
    }

    private static List<Condition> conditions(Odrl.Policy policy, String definition, List<PolicyProblem> problems) {
        var out = new ArrayList<Condition>();
        policy.unknown().forEach(u -> problems.add(new PolicyProblem(new SourceRef(definition, 0, "$"), "a constraint Labspace cannot evaluate: " + u.description())));
        for (var permission : policy.permissions()) {
            if (!Odrl.USE.equals(permission.action()) && !"use".equals(permission.action())) {
                problems.add(new PolicyProblem(new SourceRef(definition, 0, "$"), "a permission for the action '" + permission.action() + "'; Labspace grants only use"));
            }
            for (var constraint : permission.constraints()) {
                var operand = Operand.of(constraint.leftOperand());
                if (operand.isEmpty()) {
                    problems.add(new PolicyProblem(new SourceRef(definition, 0, "$"), "a constraint on '" + constraint.leftOperand()
                            + "', which Labspace cannot evaluate (EDC would drop it silently)"));
                    continue;
                }
                var values = constraint.values();
                if (operand.get().kind() == Operand.Kind.COLUMNS || operand.get().kind() == Operand.Kind.MASKS) {
                    values = values.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).filter(v -> !v.isEmpty()).toList();
                }
                out.add(new Condition(operand.get(), constraint.operator(), values, new SourceRef(definition, 0, operand.get().term())));
            }
        }
        return out;
    }
}
