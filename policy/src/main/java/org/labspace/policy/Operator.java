package org.labspace.policy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The ODRL operators Labspace policies use. */
public enum Operator {

    EQ("eq", "is"),
    NEQ("neq", "is not"),
    IS_ANY_OF("isAnyOf", "is one of"),
    IS_NONE_OF("isNoneOf", "is none of");

    public static final String ODRL = "http://www.w3.org/ns/odrl/2/";
    static final Set<Operator> MEMBERSHIP = EnumSet.allOf(Operator.class);

    private final String term;
    private final String words;

    Operator(String term, String words) {
        this.term = term;
        this.words = words;
    }

    /** The name in policy files and in ODRL, e.g. {@code isAnyOf}. */
    public String term() {
        return term;
    }

    public String iri() {
        return ODRL + term;
    }

    public String words() {
        return words;
    }

    /** True when the right operand is a list. */
    public boolean takesList() {
        return this == IS_ANY_OF || this == IS_NONE_OF;
    }

    /** By policy-file name, ODRL IRI or EDC's enum name ({@code IS_ANY_OF}). */
    public static Optional<Operator> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        var term = name.startsWith(ODRL) ? name.substring(ODRL.length()) : name.startsWith("odrl:") ? name.substring(5) : name;
        return Arrays.stream(values()).filter(o -> o.term.equals(term) || o.name().equals(term)).findFirst();
    }
}
