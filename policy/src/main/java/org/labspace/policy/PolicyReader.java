package org.labspace.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a policy file (YAML, or the same structure in JSON) into a {@link LabPolicy}. Every unknown field, misplaced
 * condition and wrongly shaped value is reported with its line and JSON path, all at once; nothing unknown is
 * skipped. The values themselves are checked by {@link PolicyValidator}.
 *
 * <pre>
 * policy: clinical-iberian
 * description: Clinical sandbox for Iberian public research
 * visibleTo:                      # catalog visibility; omitted: every active member
 *   memberCountry: [ES, PT]       # a list means isAnyOf, a single value eq
 * allow:
 *   - name: ethics-approved
 *     purpose: [research.non-commercial, research.evaluation]
 *     when:
 *       organizationType: {isAnyOf: [university, public-research]}
 *       accreditation: ethics-board-approved
 *     validFor: P90D
 *     maxTransfers: 20
 *     restrict:
 *       maskedColumns: [patient_name, national_id:null]
 *       rowFilter: "age >= 18"
 *     duties:
 *       attribution: "Lab Madrid clinical sandbox (2026)"
 *       deleteAfter: P180D
 * </pre>
 */
public final class PolicyReader {

    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern RULE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Set<String> TOP = Set.of("policy", "description", "visibleTo", "allow");
    private static final Set<String> RULE = Set.of("name", "purpose", "when", "validFor", "validUntil", "maxTransfers", "restrict", "duties");
    private static final List<Operand> WHO = List.of(Operand.MEMBER_COUNTRY, Operand.ORGANIZATION_TYPE, Operand.ACCREDITATION, Operand.PARTICIPANT);
    private static final List<Operand> TERMS = List.of(Operand.VALID_FOR, Operand.VALID_UNTIL, Operand.MAX_TRANSFERS);
    private static final List<Operand> RESTRICT = List.of(Operand.ALLOWED_COLUMNS, Operand.DENIED_COLUMNS, Operand.MASKED_COLUMNS,
            Operand.ROW_FILTER, Operand.MAX_ROWS_PER_TRANSFER);
    private static final List<Operand> DUTIES = List.of(Operand.ATTRIBUTION, Operand.DELETE_AFTER);

    private final List<PolicyProblem> problems = new ArrayList<>();
    private final LocatedTree tree;

    private PolicyReader(LocatedTree tree) {
        this.tree = tree;
    }

    /**
     * @param file the file's name, for messages
     * @throws PolicyException with every problem found
     */
    public static LabPolicy read(String file, String text) {
        var reader = new PolicyReader(LocatedTree.read(file, text));
        var policy = reader.policy();
        if (!reader.problems.isEmpty()) {
            throw new PolicyException(reader.problems);
        }
        return policy;
    }

    private LabPolicy policy() {
        var root = tree.root;
        if (!root.isObject()) {
            problem("$", "a policy is a mapping with 'policy', 'allow' and optionally 'description' and 'visibleTo'");
            return null;
        }
        unknownFields(root, "$", TOP, "");
        var id = text(root, "$", "policy", true);
        if (id != null && !ID.matcher(id).matches()) {
            problem("$.policy", "the policy id '" + id + "' must be lower-case letters, digits, '.', '_' or '-' (at most 64)");
        }
        var description = text(root, "$", "description", false);
        var visibleTo = root.has("visibleTo") ? conditions(root.get("visibleTo"), "$.visibleTo", WHO, "visibleTo") : List.<Condition>of();
        var rules = new ArrayList<Rule>();
        var allow = root.get("allow");
        if (allow == null) {
            problem("$", "'allow' is missing: a policy needs at least one rule, or it would grant nothing");
        } else if (!allow.isArray() || allow.isEmpty()) {
            problem("$.allow", "'allow' must be a list of at least one rule");
        } else {
            for (var i = 0; i < allow.size(); i++) {
                var rule = rule(allow.get(i), "$.allow[" + i + "]", i);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        var names = new java.util.HashSet<String>();
        for (var rule : rules) {
            if (!names.add(rule.name())) {
                problems.add(new PolicyProblem(rule.where(), "two rules are named '" + rule.name() + "'"));
            }
        }
        return new LabPolicy(id, description, visibleTo, rules, tree.ref("$"));
    }

    private Rule rule(JsonNode node, String path, int index) {
        if (!node.isObject()) {
            problem(path, "a rule is a mapping with 'purpose' and optionally 'when', 'validFor', 'validUntil', 'maxTransfers', 'restrict', 'duties'");
            return null;
        }
        unknownFields(node, path, RULE, "rule");
        var name = text(node, path, "name", false);
        if (name == null) {
            name = "rule-" + (index + 1);
        } else if (!RULE_NAME.matcher(name).matches()) {
            problem(path + ".name", "the rule name '" + name + "' must be lower-case letters, digits or '-' (at most 32)");
        }
        var purposes = new ArrayList<String>();
        var purpose = node.get("purpose");
        if (purpose == null) {
            problem(path, "'purpose' is missing: say which purposes this rule grants, from " + String.join(", ", Purpose.ALL));
        } else if (purpose.isTextual()) {
            purposes.add(purpose.asText());
        } else if (purpose.isArray() && !purpose.isEmpty() && allText(purpose)) {
            purpose.forEach(p -> purposes.add(p.asText()));
        } else {
            problem(path + ".purpose", "'purpose' must be one purpose or a list of purposes");
        }
        var conditions = new ArrayList<Condition>();
        if (node.has("when")) {
            conditions.addAll(conditions(node.get("when"), path + ".when", WHO, "when"));
        }
        for (var operand : TERMS) {
            if (node.has(operand.term())) {
                scalar(node.get(operand.term()), path + "." + operand.term(), operand).ifPresent(conditions::add);
            }
        }
        if (node.has("restrict")) {
            conditions.addAll(section(node.get("restrict"), path + ".restrict", RESTRICT, "restrict"));
        }
        if (node.has("duties")) {
            conditions.addAll(section(node.get("duties"), path + ".duties", DUTIES, "duties"));
        }
        return new Rule(name, purposes, conditions, tree.ref(path));
    }

    /** Conditions on the participant: {@code operand: value | [values] | {operator: value, ...}}. */
    private List<Condition> conditions(JsonNode node, String path, List<Operand> allowed, String section) {
        var out = new ArrayList<Condition>();
        if (!node.isObject()) {
            problem(path, "'" + section + "' must be a mapping of conditions such as memberCountry: [ES, PT]");
            return out;
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            var child = path + "." + field.getKey();
            var operand = known(field.getKey(), child, allowed, section);
            if (operand == null) {
                continue;
            }
            var value = field.getValue();
            if (value.isObject()) {
                if (value.isEmpty()) {
                    problem(child, "no operator given for " + operand.term());
                }
                var operators = value.fields();
                while (operators.hasNext()) {
                    var entry = operators.next();
                    var operatorPath = child + "." + entry.getKey();
                    var operator = Operator.of(entry.getKey()).filter(o -> !entry.getKey().contains("_"));
                    if (operator.isEmpty()) {
                        problem(operatorPath, "unknown operator '" + entry.getKey() + "'; use eq, neq, isAnyOf or isNoneOf");
                        continue;
                    }
                    condition(operand, operator.get(), entry.getValue(), operatorPath).ifPresent(out::add);
                }
            } else {
                condition(operand, value.isArray() ? Operator.IS_ANY_OF : Operator.EQ, value, child).ifPresent(out::add);
            }
        }
        return out;
    }

    private java.util.Optional<Condition> condition(Operand operand, Operator operator, JsonNode value, String path) {
        if (!operand.operators().contains(operator)) {
            problem(path, operand.term() + " does not take the operator " + operator.term());
            return java.util.Optional.empty();
        }
        if (operator.takesList()) {
            if (!value.isArray() || value.isEmpty() || !allScalar(value)) {
                problem(path, operator.term() + " takes a list of values, e.g. [ES, PT]");
                return java.util.Optional.empty();
            }
            var values = new ArrayList<String>();
            value.forEach(v -> values.add(v.asText()));
            return java.util.Optional.of(new Condition(operand, operator, values, tree.ref(path)));
        }
        if (!value.isValueNode() || value.isNull()) {
            problem(path, operator.term() + " takes a single value");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Condition(operand, operator, List.of(value.asText()), tree.ref(path)));
    }

    /** A section of single-valued terms ({@code restrict}, {@code duties}); column lists may be lists. */
    private List<Condition> section(JsonNode node, String path, List<Operand> allowed, String section) {
        var out = new ArrayList<Condition>();
        if (!node.isObject()) {
            problem(path, "'" + section + "' must be a mapping, e.g. " + allowed.get(0).term() + ": ...");
            return out;
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            var child = path + "." + field.getKey();
            var operand = known(field.getKey(), child, allowed, section);
            if (operand != null) {
                scalar(field.getValue(), child, operand).ifPresent(out::add);
            }
        }
        return out;
    }

    /** A term with one value (eq); column lists may be written as lists. */
    private java.util.Optional<Condition> scalar(JsonNode value, String path, Operand operand) {
        var listKinds = operand.kind() == Operand.Kind.COLUMNS || operand.kind() == Operand.Kind.MASKS;
        if (listKinds && value.isArray()) {
            if (!allScalar(value)) {
                problem(path, operand.term() + " takes a list of column names");
                return java.util.Optional.empty();
            }
            var values = new ArrayList<String>();
            value.forEach(v -> values.add(v.asText()));
            return java.util.Optional.of(new Condition(operand, Operator.EQ, values, tree.ref(path)));
        }
        if (!value.isValueNode() || value.isNull()) {
            problem(path, operand.term() + " takes a single value" + (listKinds ? " or a list of column names" : ""));
            return java.util.Optional.empty();
        }
        var text = value.asText();
        var values = listKinds ? java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList() : List.of(text);
        return java.util.Optional.of(new Condition(operand, Operator.EQ, values, tree.ref(path)));
    }

    private Operand known(String name, String path, List<Operand> allowed, String section) {
        var operand = Operand.of(name);
        if (operand.isPresent() && allowed.contains(operand.get())) {
            return operand.get();
        }
        if (operand.isPresent()) {
            problem(path, operand.get().term() + " does not belong under '" + section + "'; " + home(operand.get()));
        } else {
            var names = allowed.stream().map(Operand::term).toList();
            problem(path, "unknown " + (section.equals("when") || section.equals("visibleTo") ? "condition" : "term") + " '" + name + "'"
                    + suggestion(name, names) + "; known here: " + String.join(", ", names));
        }
        return null;
    }

    private static String home(Operand operand) {
        if (WHO.contains(operand)) {
            return "it goes under 'when' (or 'visibleTo')";
        }
        if (RESTRICT.contains(operand)) {
            return "it goes under 'restrict'";
        }
        if (DUTIES.contains(operand)) {
            return "it goes under 'duties'";
        }
        if (operand == Operand.PURPOSE) {
            return "it is the rule's own 'purpose'";
        }
        return "it goes directly in the rule";
    }

    private void unknownFields(JsonNode node, String path, Set<String> known, String what) {
        var names = node.fieldNames();
        while (names.hasNext()) {
            var name = names.next();
            if (!known.contains(name)) {
                var operand = Operand.of(name);
                var hint = operand.map(o -> "; " + home(o)).orElse(suggestion(name, known) + "; known: " + String.join(", ", known.stream().sorted().toList()));
                problem(path + "." + name, "unknown field '" + name + "'" + (what.isEmpty() ? "" : " in a " + what) + hint);
            }
        }
    }

    private String text(JsonNode node, String path, String field, boolean required) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                problem(path, "'" + field + "' is missing");
            }
            return null;
        }
        if (!value.isValueNode()) {
            problem(path + "." + field, "'" + field + "' must be text");
            return null;
        }
        return value.asText();
    }

    private static boolean allText(JsonNode array) {
        for (var item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean allScalar(JsonNode array) {
        for (var item : array) {
            if (!item.isValueNode() || item.isNull()) {
                return false;
            }
        }
        return true;
    }

    /** " (did you mean memberCountry?)" for a near miss, else nothing. */
    static String suggestion(String name, java.util.Collection<String> known) {
        return known.stream().map(k -> Map.entry(k, distance(name.toLowerCase(), k.toLowerCase())))
                .filter(e -> e.getValue() <= Math.max(2, e.getKey().length() / 4))
                .min(Comparator.comparingInt(Map.Entry::getValue))
                .map(e -> " (did you mean " + e.getKey() + "?)").orElse("");
    }

    private static int distance(String a, String b) {
        var previous = new int[b.length() + 1];
        var current = new int[b.length() + 1];
        for (var j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (var i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (var j = 1; j <= b.length(); j++) {
                var cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            var swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private void problem(String path, String message) {
        problems.add(new PolicyProblem(tree.ref(path), message));
    }
}
