package org.labspace.dataplane.filter;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterTypesTest {

    private static final Map<String, String> TYPES = Map.of("pm25", "FloatingPoint(DOUBLE)", "station", "Int(64, true)", "city", "Utf8",
            "smoker", "Bool", "measured", "Timestamp(MICROSECOND, null)", "born", "Date(DAY)", "shape", "Struct");

    private static void check(String filter) {
        FilterTypes.check(FilterParser.parse(filter), TYPES);
    }

    @Test
    void valuesOfTheColumnsType_orQuotedValuesThatReadAsIt_pass() {
        assertThatCode(() -> check("pm25 > 4.5 AND station IN (1, 2) AND city = 'Madrid' AND smoker = TRUE AND born < DATE '2000-01-01'"))
                .doesNotThrowAnyException();
        assertThatCode(() -> check("pm25 > '4.5' AND smoker = 'false' AND measured >= '2024-01-01 10:00:00' AND born = '1990-05-01'"))
                .doesNotThrowAnyException();
        assertThatCode(() -> check("shape IS NULL OR unknown = 3")).as("other types and unknown columns are left to the planner").doesNotThrowAnyException();
    }

    @Test
    void aValueTheColumnCannotHold_isRefusedNamingColumnTypeAndValue() {
        assertThatThrownBy(() -> check("pm25 > 'abc'")).isInstanceOf(FilterException.class)
                .hasMessageContaining("column 'pm25' holds numbers (FloatingPoint(DOUBLE))").hasMessageContaining("'abc'");
        assertThatThrownBy(() -> check("NOT (station IN (1, 'x'))")).isInstanceOf(FilterException.class).hasMessageContaining("'station'");
        assertThatThrownBy(() -> check("city = 5")).isInstanceOf(FilterException.class).hasMessageContaining("quote the value: '5'");
        assertThatThrownBy(() -> check("smoker = 1")).isInstanceOf(FilterException.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> check("born > 'yesterday'")).isInstanceOf(FilterException.class).hasMessageContaining("dates or times");
    }
}
