package org.labspace.dataplane.filter;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A value in a row filter. {@code value} is a {@link String}, {@link Long}, {@link BigDecimal}, {@link Double},
 * {@link Boolean}, {@link LocalDate}, or for timestamps the literal's text (already checked to parse).
 */
public record Literal(Kind kind, Object value) {

    public enum Kind { STRING, INTEGER, DECIMAL, DOUBLE, BOOLEAN, DATE, TIMESTAMP, TIMESTAMP_WITH_ZONE }

    @Override
    public String toString() {
        return switch (kind) {
            case STRING -> quote(value.toString());
            case DATE -> "DATE " + quote(value.toString());
            case TIMESTAMP, TIMESTAMP_WITH_ZONE -> "TIMESTAMP " + quote(value.toString());
            case BOOLEAN -> value.toString().toUpperCase();
            default -> value.toString();
        };
    }

    static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A column as the filter language writes it: bare when it is a plain identifier, else in double quotes. */
    static String quoteColumn(String column) {
        return column.matches("[A-Za-z_][A-Za-z0-9_]*") && !FilterParser.isKeyword(column) ? column : "\"" + column.replace("\"", "\"\"") + "\"";
    }
}
