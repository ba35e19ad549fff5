package org.labspace.dataplane.filter;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks that each value of a row filter can be compared with its column, before the scan: DuckDB would otherwise
 * fail in the middle of the query ({@code pm25 > 'abc'} cannot cast 'abc' to a number), which is the request's
 * mistake, not the lab's. Quoted values that read as the column's type are accepted, as DuckDB casts them.
 */
public final class FilterTypes {

    private static final Set<String> BOOLEANS = Set.of("true", "false");
    private static final List<Function<String, Object>> TEMPORAL_FORMS = List.of(LocalDate::parse, LocalDateTime::parse, OffsetDateTime::parse);

    private FilterTypes() {
    }

    /**
     * @param arrowTypes each column's Arrow type as {@code ArrowType.toString()} writes it, e.g. {@code Int(64, true)},
     *                   {@code Utf8}, {@code Date(DAY)}; a column of another type, or not in the map, is not checked
     * @throws FilterException naming the column, its type and the value
     */
    public static void check(RowFilter filter, Map<String, String> arrowTypes) {
        if (filter instanceof RowFilter.Comparison c) {
            check(c.column(), c.value(), arrowTypes);
        } else if (filter instanceof RowFilter.In in) {
            in.values().forEach(value -> check(in.column(), value, arrowTypes));
        } else if (filter instanceof RowFilter.And a) {
            check(a.left(), arrowTypes);
            check(a.right(), arrowTypes);
        } else if (filter instanceof RowFilter.Or o) {
            check(o.left(), arrowTypes);
            check(o.right(), arrowTypes);
        } else if (filter instanceof RowFilter.Not n) {
            check(n.operand(), arrowTypes);
        }
    }

    private enum Family { NUMBER, TEXT, BOOLEAN, TEMPORAL }

    private static void check(String column, Literal value, Map<String, String> arrowTypes) {
        var type = arrowTypes.get(column);
        var family = family(type);
        if (family == null || fits(family, value)) {
            return;
        }
        throw new FilterException("filter: column '" + column + "' holds " + describe(family) + " (" + type + "), so it cannot be compared with "
                + value + (family == Family.TEXT ? "; quote the value: '" + value.value() + "'" : ""));
    }

    private static Family family(String arrowType) {
        if (arrowType == null) {
            return null;
        }
        if (arrowType.startsWith("Int(") || arrowType.startsWith("FloatingPoint(") || arrowType.startsWith("Decimal(")) {
            return Family.NUMBER;
        }
        if (arrowType.equals("Utf8") || arrowType.equals("LargeUtf8") || arrowType.equals("Utf8View")) {
            return Family.TEXT;
        }
        if (arrowType.equals("Bool")) {
            return Family.BOOLEAN;
        }
        if (arrowType.startsWith("Date(") || arrowType.startsWith("Timestamp(")) {
            return Family.TEMPORAL;
        }
        return null;
    }

    private static boolean fits(Family family, Literal value) {
        return switch (family) {
            case NUMBER -> switch (value.kind()) {
                case INTEGER, DECIMAL, DOUBLE -> true;
                case STRING -> isNumber(value.value().toString());
                default -> false;
            };
            case TEXT -> value.kind() == Literal.Kind.STRING;
            case BOOLEAN -> value.kind() == Literal.Kind.BOOLEAN
                    || value.kind() == Literal.Kind.STRING && BOOLEANS.contains(value.value().toString().trim().toLowerCase(Locale.ROOT));
            case TEMPORAL -> switch (value.kind()) {
                case DATE, TIMESTAMP, TIMESTAMP_WITH_ZONE -> true;
                case STRING -> isTemporal(value.value().toString().trim());
                default -> false;
            };
        };
    }

    private static boolean isNumber(String text) {
        try {
            new BigDecimal(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isTemporal(String text) {
        var iso = text.replace(' ', 'T');
        for (var parser : TEMPORAL_FORMS) {
            try {
                parser.apply(iso);
                return true;
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return false;
    }

    private static String describe(Family family) {
        return switch (family) {
            case NUMBER -> "numbers";
            case TEXT -> "text";
            case BOOLEAN -> "true or false";
            case TEMPORAL -> "dates or times";
        };
    }
}
