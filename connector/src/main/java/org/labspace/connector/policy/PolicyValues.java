package org.labspace.connector.policy;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Collection;

/**
 * A right operand as plain Java: EDC hands them over as JSON-P values after a DSP exchange, as Java values when
 * read from its store.
 */
public final class PolicyValues {

    private PolicyValues() {
    }

    /** A text, or a list of plain values. */
    public static Object plain(Object value) {
        if (value instanceof JsonString string) {
            return string.getString();
        }
        if (value instanceof JsonNumber number) {
            return number.toString();
        }
        if (value instanceof JsonArray array) {
            return array.stream().map(PolicyValues::plain).toList();
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(PolicyValues::plain).toList();
        }
        if (value instanceof JsonValue json) {
            return json.toString();
        }
        return value;
    }
}
