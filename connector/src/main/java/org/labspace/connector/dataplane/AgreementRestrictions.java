package org.labspace.connector.dataplane;

import org.eclipse.edc.policy.model.AndConstraint;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Constraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.MultiplicityConstraint;
import org.eclipse.edc.policy.model.Policy;
import org.labspace.connector.policy.PolicyValues;
import org.labspace.dataplane.restriction.RestrictionException;
import org.labspace.dataplane.restriction.RestrictionTerms;
import org.labspace.dataplane.restriction.Restrictions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the data restrictions from an agreement's policy (the EDC side of {@link RestrictionTerms}). */
final class AgreementRestrictions {

    private AgreementRestrictions() {
    }

    static Restrictions of(Policy policy) {
        var constraints = new ArrayList<Map.Entry<String, Object>>();
        for (var permission : policy.getPermissions()) {
            for (var constraint : permission.getConstraints()) {
                collect(constraint, constraints, false);
            }
        }
        return RestrictionTerms.read(constraints);
    }

    private static void collect(Constraint constraint, List<Map.Entry<String, Object>> out, boolean insideChoice) {
        if (constraint instanceof AtomicConstraint atomic && atomic.getLeftExpression() instanceof LiteralExpression left
                && RestrictionTerms.isRestriction(left.asString())) {
            if (insideChoice) {
                // "these columns OR those" cannot be enforced as one stream: serve nothing rather than guess
                throw new RestrictionException("the agreement puts the data restriction " + left.asString() + " inside an or/xone choice");
            }
            var right = atomic.getRightExpression() instanceof LiteralExpression literal ? plain(literal.getValue()) : null;
            out.add(Map.entry(left.asString(), right));
        } else if (constraint instanceof AndConstraint and) {
            and.getConstraints().forEach(c -> collect(c, out, insideChoice));
        } else if (constraint instanceof MultiplicityConstraint choice) {
            choice.getConstraints().forEach(c -> collect(c, out, true));
        }
    }

    static Object plain(Object value) {
        return PolicyValues.plain(value);
    }
}
