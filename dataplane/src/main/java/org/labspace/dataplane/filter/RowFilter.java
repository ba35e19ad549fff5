package org.labspace.dataplane.filter;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parsed row filter: the syntax tree of the filter language (see docs/dataplane.md). It is only ever rendered with
 * quoted identifiers and bound values ({@link SqlFilter}), never spliced into a query as text.
 */
public sealed interface RowFilter {

    /** Every column the filter reads, in order of appearance. */
    default Set<String> columns() {
        var columns = new LinkedHashSet<String>();
        collectColumns(this, columns);
        return columns;
    }

    /** Both filters must hold; either may be null, meaning "no filter". */
    static RowFilter both(RowFilter first, RowFilter second) {
        if (first == null) {
            return second;
        }
        return second == null ? first : new And(first, second);
    }

    private static void collectColumns(RowFilter filter, Set<String> columns) {
        if (filter instanceof Comparison c) {
            columns.add(c.column());
        } else if (filter instanceof In in) {
            columns.add(in.column());
        } else if (filter instanceof IsNull n) {
            columns.add(n.column());
        } else if (filter instanceof And a) {
            collectColumns(a.left(), columns);
            collectColumns(a.right(), columns);
        } else if (filter instanceof Or o) {
            collectColumns(o.left(), columns);
            collectColumns(o.right(), columns);
        } else if (filter instanceof Not n) {
            collectColumns(n.operand(), columns);
        }
    }

    enum Operator {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** The operator with its operands swapped: {@code 5 < x} is {@code x > 5}. */
        Operator flipped() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }
    }

    record Comparison(String column, Operator operator, Literal value) implements RowFilter {
        @Override
        public String toString() {
            return Literal.quoteColumn(column) + " " + operator.symbol() + " " + value;
        }
    }

    record In(String column, List<Literal> values, boolean negated) implements RowFilter {
        public In {
            values = List.copyOf(values);
        }

        @Override
        public String toString() {
            return Literal.quoteColumn(column) + (negated ? " NOT IN (" : " IN (")
                    + values.stream().map(Literal::toString).collect(Collectors.joining(", ")) + ")";
        }
    }

    record IsNull(String column, boolean negated) implements RowFilter {
        @Override
        public String toString() {
            return Literal.quoteColumn(column) + (negated ? " IS NOT NULL" : " IS NULL");
        }
    }

    record And(RowFilter left, RowFilter right) implements RowFilter {
        @Override
        public String toString() {
            return "(" + left + " AND " + right + ")";
        }
    }

    record Or(RowFilter left, RowFilter right) implements RowFilter {
        @Override
        public String toString() {
            return "(" + left + " OR " + right + ")";
        }
    }

    record Not(RowFilter operand) implements RowFilter {
        @Override
        public String toString() {
            return "NOT " + operand;
        }
    }
}
