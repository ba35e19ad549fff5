package org.labspace.dataplane.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A row filter rendered as a SQL condition: quoted identifiers, and a {@code ?} for every value, bound in order from
 * {@link #parameters()}. Dates and timestamps are cast from bound text. Nothing from the filter's text reaches the
 * SQL except through these two channels.
 */
public record SqlFilter(String condition, List<Literal> parameters) {

    /** @param columnSql how a column is written in SQL, already quoted (see {@link #quoteIdentifier(String)}) */
    public static SqlFilter render(RowFilter filter, Function<String, String> columnSql) {
        var parameters = new ArrayList<Literal>();
        var condition = render(filter, columnSql, parameters);
        return new SqlFilter(condition, List.copyOf(parameters));
    }

    public static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String render(RowFilter filter, Function<String, String> columnSql, List<Literal> parameters) {
        if (filter instanceof RowFilter.Comparison c) {
            parameters.add(c.value());
            return columnSql.apply(c.column()) + " " + (c.operator() == RowFilter.Operator.NE ? "<>" : c.operator().symbol()) + " "
                    + placeholder(c.value());
        }
        if (filter instanceof RowFilter.In in) {
            parameters.addAll(in.values());
            return columnSql.apply(in.column()) + (in.negated() ? " NOT IN (" : " IN (")
                    + in.values().stream().map(SqlFilter::placeholder).collect(Collectors.joining(", ")) + ")";
        }
        if (filter instanceof RowFilter.IsNull n) {
            return columnSql.apply(n.column()) + (n.negated() ? " IS NOT NULL" : " IS NULL");
        }
        if (filter instanceof RowFilter.And a) {
            return "(" + render(a.left(), columnSql, parameters) + " AND " + render(a.right(), columnSql, parameters) + ")";
        }
        if (filter instanceof RowFilter.Or o) {
            return "(" + render(o.left(), columnSql, parameters) + " OR " + render(o.right(), columnSql, parameters) + ")";
        }
        if (filter instanceof RowFilter.Not n) {
            return "(NOT " + render(n.operand(), columnSql, parameters) + ")";
        }
        throw new IllegalArgumentException("unknown filter node " + filter);
    }

    private static String placeholder(Literal literal) {
        return switch (literal.kind()) {
            case DATE -> "CAST(? AS DATE)";
            case TIMESTAMP -> "CAST(? AS TIMESTAMP)";
            case TIMESTAMP_WITH_ZONE -> "CAST(? AS TIMESTAMPTZ)";
            default -> "?";
        };
    }
}
