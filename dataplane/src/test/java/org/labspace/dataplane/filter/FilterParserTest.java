package org.labspace.dataplane.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.labspace.dataplane.filter.RowFilter.Operator.EQ;
import static org.labspace.dataplane.filter.RowFilter.Operator.GE;
import static org.labspace.dataplane.filter.RowFilter.Operator.GT;
import static org.labspace.dataplane.filter.RowFilter.Operator.LT;
import static org.labspace.dataplane.filter.RowFilter.Operator.NE;

class FilterParserTest {

    @Test
    void comparisons_ofEveryKind() {
        assertThat(FilterParser.parse("x = 5")).isEqualTo(new RowFilter.Comparison("x", EQ, new Literal(Literal.Kind.INTEGER, 5L)));
        assertThat(FilterParser.parse("x <> 'a''b'")).isEqualTo(new RowFilter.Comparison("x", NE, new Literal(Literal.Kind.STRING, "a'b")));
        assertThat(FilterParser.parse("x != -2.50")).isEqualTo(new RowFilter.Comparison("x", NE, new Literal(Literal.Kind.DECIMAL, new BigDecimal("-2.50"))));
        assertThat(FilterParser.parse("x >= 1e-3")).isEqualTo(new RowFilter.Comparison("x", GE, new Literal(Literal.Kind.DOUBLE, 1e-3)));
        assertThat(FilterParser.parse("flag = true")).isEqualTo(new RowFilter.Comparison("flag", EQ, new Literal(Literal.Kind.BOOLEAN, true)));
        assertThat(FilterParser.parse("day < DATE '2024-02-29'"))
                .isEqualTo(new RowFilter.Comparison("day", LT, new Literal(Literal.Kind.DATE, LocalDate.of(2024, 2, 29))));
        assertThat(FilterParser.parse("at > timestamp '2024-01-01 10:00:00.5'"))
                .isEqualTo(new RowFilter.Comparison("at", GT, new Literal(Literal.Kind.TIMESTAMP, "2024-01-01 10:00:00.5")));
        assertThat(FilterParser.parse("at > TIMESTAMP '2024-01-01T10:00:00+01:00'"))
                .isEqualTo(new RowFilter.Comparison("at", GT, new Literal(Literal.Kind.TIMESTAMP_WITH_ZONE, "2024-01-01 10:00:00+01:00")));
    }

    @Test
    void literalFirst_isTurnedAround() {
        assertThat(FilterParser.parse("5 < x")).isEqualTo(new RowFilter.Comparison("x", GT, new Literal(Literal.Kind.INTEGER, 5L)));
    }

    @Test
    void in_isNull_andQuotedColumns() {
        assertThat(FilterParser.parse("\"station id\" NOT IN ('a', 'b')"))
                .isEqualTo(new RowFilter.In("station id", List.of(new Literal(Literal.Kind.STRING, "a"), new Literal(Literal.Kind.STRING, "b")), true));
        assertThat(FilterParser.parse("pm25 is not null")).isEqualTo(new RowFilter.IsNull("pm25", true));
        assertThat(FilterParser.parse("\"and\" IS NULL")).isEqualTo(new RowFilter.IsNull("and", false));
    }

    @Test
    void and_bindsTighterThanOr_notTighterThanAnd_andParenthesesWin() {
        var a = new RowFilter.Comparison("a", EQ, new Literal(Literal.Kind.INTEGER, 1L));
        var b = new RowFilter.Comparison("b", EQ, new Literal(Literal.Kind.INTEGER, 2L));
        var c = new RowFilter.Comparison("c", EQ, new Literal(Literal.Kind.INTEGER, 3L));
        assertThat(FilterParser.parse("a = 1 OR b = 2 AND c = 3")).isEqualTo(new RowFilter.Or(a, new RowFilter.And(b, c)));
        assertThat(FilterParser.parse("(a = 1 OR b = 2) AND c = 3")).isEqualTo(new RowFilter.And(new RowFilter.Or(a, b), c));
        assertThat(FilterParser.parse("NOT a = 1 AND b = 2")).isEqualTo(new RowFilter.And(new RowFilter.Not(a), b));
    }

    @Test
    void printedFilter_parsesBackToTheSameTree() {
        var filter = FilterParser.parse("(x > 1 OR \"odd name\" IN ('it''s', DATE '2024-01-01')) AND NOT y IS NULL AND z <= 2.5");

        assertThat(FilterParser.parse(filter.toString())).isEqualTo(filter);
        assertThat(filter.columns()).containsExactly("x", "odd name", "y", "z");
    }

    @Test
    void blank_isNoFilter() {
        assertThat(FilterParser.parse("  ")).isNull();
        assertThat(FilterParser.parse(null)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x = 1; DROP TABLE t|position 6: unexpected character ';'",
            "x = 'open|position 5: text starting here has no closing '",
            "x =|position 4: expected a value",
            "x 5|position 3: expected a comparison",
            "= 5|position 1: expected a column name",
            "x = 1 AND|position 10: expected a column name, found the end of the filter",
            "(x = 1|position 7: expected ')' to close",
            "x IN ()|position 7: expected a value",
            "x IS 5|position 6: expected NULL after IS",
            "x NOT = 1|position 7: expected IN after NOT",
            "d = DATE '2024-13-01'|position 10: '2024-13-01' is not a date",
            "t = TIMESTAMP 'yesterday'|position 15: 'yesterday' is not a timestamp",
            "x = 1 y = 2|position 7: unexpected 'y' after a complete filter",
            "x = 1.2.3|position 5: '1.2.3' is not a number",
            "x ! 1|position 3: '!' must be followed by '='",
            "\"\" = 1|position 1: empty column name",
    })
    void mistakes_areNamedWithTheirPosition(String filter, String message) {
        assertThatThrownBy(() -> FilterParser.parse(filter)).isInstanceOf(FilterException.class).hasMessageContaining(message);
    }

    @Test
    void hugeOrDeepFilters_areRefused() {
        assertThatThrownBy(() -> FilterParser.parse("x = '" + "a".repeat(FilterParser.MAX_LENGTH) + "'"))
                .hasMessageContaining("at most " + FilterParser.MAX_LENGTH);
        assertThatThrownBy(() -> FilterParser.parse("(".repeat(100) + "x = 1" + ")".repeat(100))).hasMessageContaining("deeper than 64");
        assertThatThrownBy(() -> FilterParser.parse("NOT ".repeat(100) + "x = 1")).hasMessageContaining("deeper than 64");
    }

    @Test
    void sql_hasQuotedIdentifiersAndPlaceholders_only() {
        var filter = FilterParser.parse("\"we\"\"ird\" = 'x'' OR 1=1 --' AND d >= DATE '2024-01-01' AND n NOT IN (1, 2)");

        var sql = SqlFilter.render(filter, SqlFilter::quoteIdentifier);

        assertThat(sql.condition()).isEqualTo("((\"we\"\"ird\" = ? AND \"d\" >= CAST(? AS DATE)) AND \"n\" NOT IN (?, ?))");
        assertThat(sql.parameters()).extracting(Literal::value).containsExactly("x' OR 1=1 --", LocalDate.of(2024, 1, 1), 1L, 2L);
    }
}
