package org.labspace.policy;

import java.util.List;
import java.util.regex.Pattern;

/** Writes a policy in the readable YAML form that {@link PolicyReader} reads. */
public final class PolicyWriter {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]*");

    private PolicyWriter() {
    }

    public static String yaml(LabPolicy policy) {
        var out = new StringBuilder();
        out.append("policy: ").append(scalar(policy.id())).append('\n');
        if (!policy.description().isBlank()) {
            out.append("description: ").append(scalar(policy.description())).append('\n');
        }
        if (!policy.visibleTo().isEmpty()) {
            out.append("visibleTo:\n");
            conditions(out, policy.visibleTo(), "  ");
        }
        out.append("allow:\n");
        for (var rule : policy.rules()) {
            out.append("  - name: ").append(rule.name()).append('\n');
            out.append("    purpose: ").append(list(rule.purposes())).append('\n');
            if (!rule.participantConditions().isEmpty()) {
                out.append("    when:\n");
                conditions(out, rule.participantConditions(), "      ");
            }
            for (var term : rule.terms()) {
                out.append("    ").append(term.operand().term()).append(": ").append(scalar(term.value())).append('\n');
            }
            section(out, "restrict", rule.restrictions());
            section(out, "duties", rule.duties());
        }
        return out.toString();
    }

    private static void conditions(StringBuilder out, List<Condition> conditions, String indent) {
        var byOperand = new java.util.LinkedHashMap<Operand, List<Condition>>();
        conditions.forEach(c -> byOperand.computeIfAbsent(c.operand(), o -> new java.util.ArrayList<>()).add(c));
        byOperand.forEach((operand, on) -> {
            out.append(indent).append(operand.term()).append(": ");
            if (on.size() == 1 && on.get(0).operator() == Operator.EQ) {
                out.append(scalar(on.get(0).value()));
            } else if (on.size() == 1 && on.get(0).operator() == Operator.IS_ANY_OF) {
                out.append(list(on.get(0).values()));
            } else {
                out.append('{');
                for (var i = 0; i < on.size(); i++) {
                    var c = on.get(i);
                    out.append(i == 0 ? "" : ", ").append(c.operator().term()).append(": ")
                            .append(c.operator().takesList() ? list(c.values()) : scalar(c.value()));
                }
                out.append('}');
            }
            out.append('\n');
        });
    }

    private static void section(StringBuilder out, String name, List<Condition> conditions) {
        if (conditions.isEmpty()) {
            return;
        }
        out.append("    ").append(name).append(":\n");
        for (var c : conditions) {
            var listed = c.operand().kind() == Operand.Kind.COLUMNS || c.operand().kind() == Operand.Kind.MASKS;
            out.append("      ").append(c.operand().term()).append(": ").append(listed ? list(c.values()) : scalar(c.value())).append('\n');
        }
    }

    private static String list(List<String> values) {
        return "[" + String.join(", ", values.stream().map(PolicyWriter::scalar).toList()) + "]";
    }

    /** Plain when safe, else double-quoted with JSON escapes (valid YAML). */
    static String scalar(String value) {
        if (PLAIN.matcher(value).matches() && !List.of("true", "false", "null", "yes", "no", "on", "off").contains(value.toLowerCase())) {
            return value;
        }
        var quoted = new StringBuilder("\"");
        for (var ch : value.toCharArray()) {
            switch (ch) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) ch));
                    } else {
                        quoted.append(ch);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
