package org.labspace.policy;

import java.util.List;

/**
 * One constraint: operand, operator and right operand. Values are kept as text ({@code P90D}, {@code 2027-01-31},
 * {@code 500}, a filter expression), lists as lists of text.
 *
 * @param where where it was written, for error messages and explanations; {@link SourceRef#NONE} when compiled
 */
public record Condition(Operand operand, Operator operator, List<String> values, SourceRef where) {

    public Condition {
        values = List.copyOf(values);
    }

    public static Condition of(Operand operand, Operator operator, List<String> values) {
        return new Condition(operand, operator, values, SourceRef.NONE);
    }

    /** The single value of an {@code eq}/{@code neq} condition. */
    public String value() {
        return values.isEmpty() ? "" : values.get(0);
    }
}
