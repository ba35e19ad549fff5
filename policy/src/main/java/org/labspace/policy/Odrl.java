package org.labspace.policy;

import java.util.List;

/**
 * ODRL policies as EDC stores them, without EDC's types: a policy is a list of permissions, each an action and
 * constraints that must all hold. The connector maps these records to and from EDC's policy model one to one.
 */
public final class Odrl {

    public static final String USE = "http://www.w3.org/ns/odrl/2/use";

    private Odrl() {
    }

    /**
     * @param leftOperand  the operand's IRI
     * @param operator     the operator
     * @param rightOperand a text, or a list of texts for isAnyOf / isNoneOf
     */
    public record Constraint(String leftOperand, Operator operator, Object rightOperand) {

        /** The right operand as a list of texts (a comma-separated column list is split). */
        public List<String> values() {
            if (rightOperand instanceof List<?> list) {
                return list.stream().map(String::valueOf).toList();
            }
            return rightOperand == null ? List.of() : List.of(String.valueOf(rightOperand));
        }
    }

    /** A constraint whose operand or operator Labspace does not know: kept so that it can be shown and refused. */
    public record Unknown(String description) {
    }

    public record Permission(String action, List<Constraint> constraints) {
        public Permission {
            constraints = List.copyOf(constraints);
        }
    }

    /** @param unknown constraints that could not be mapped (from a policy written outside Labspace) */
    public record Policy(List<Permission> permissions, List<Unknown> unknown) {
        public Policy {
            permissions = List.copyOf(permissions);
            unknown = unknown == null ? List.of() : List.copyOf(unknown);
        }

        public static Policy of(Permission permission) {
            return new Policy(List.of(permission), List.of());
        }
    }
}
