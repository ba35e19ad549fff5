package org.labspace.connector.policy;

import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AndConstraint;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Constraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.policy.model.PolicyType;
import org.labspace.policy.Odrl;
import org.labspace.policy.Operator;

import java.util.ArrayList;
import java.util.List;

/** Labspace's ODRL records to EDC's policy model and back, one to one. */
public final class EdcPolicies {

    private EdcPolicies() {
    }

    public static Policy toEdc(Odrl.Policy policy) {
        var builder = Policy.Builder.newInstance().type(PolicyType.SET);
        for (var permission : policy.permissions()) {
            var edc = Permission.Builder.newInstance().action(Action.Builder.newInstance().type(permission.action()).build());
            for (var constraint : permission.constraints()) {
                edc.constraint(AtomicConstraint.Builder.newInstance()
                        .leftExpression(new LiteralExpression(constraint.leftOperand()))
                        .operator(org.eclipse.edc.policy.model.Operator.valueOf(constraint.operator().name()))
                        .rightExpression(new LiteralExpression(constraint.rightOperand()))
                        .build());
            }
            builder.permission(edc.build());
        }
        return builder.build();
    }

    /** EDC's policy as Labspace's records; anything that does not map is kept in {@link Odrl.Policy#unknown()}. */
    public static Odrl.Policy fromEdc(Policy policy) {
        var permissions = new ArrayList<Odrl.Permission>();
        var unknown = new ArrayList<Odrl.Unknown>();
        for (var permission : policy.getPermissions()) {
            var constraints = new ArrayList<Odrl.Constraint>();
            for (var constraint : permission.getConstraints()) {
                collect(constraint, constraints, unknown);
            }
            if (!permission.getDuties().isEmpty()) {
                unknown.add(new Odrl.Unknown("duties attached to a permission"));
            }
            permissions.add(new Odrl.Permission(permission.getAction() == null ? Odrl.USE : permission.getAction().getType(), constraints));
        }
        if (!policy.getProhibitions().isEmpty()) {
            unknown.add(new Odrl.Unknown("prohibitions"));
        }
        if (!policy.getObligations().isEmpty()) {
            unknown.add(new Odrl.Unknown("obligations"));
        }
        return new Odrl.Policy(permissions, unknown);
    }

    private static void collect(Constraint constraint, List<Odrl.Constraint> out, List<Odrl.Unknown> unknown) {
        if (constraint instanceof AndConstraint and) {
            and.getConstraints().forEach(c -> collect(c, out, unknown));
        } else if (constraint instanceof AtomicConstraint atomic && atomic.getLeftExpression() instanceof LiteralExpression left
                && atomic.getRightExpression() instanceof LiteralExpression right) {
            var operator = Operator.of(atomic.getOperator().name());
            if (operator.isEmpty()) {
                unknown.add(new Odrl.Unknown(left.asString() + " with the operator " + atomic.getOperator()));
                return;
            }
            var value = PolicyValues.plain(right.getValue());
            out.add(new Odrl.Constraint(left.asString(), operator.get(), value));
        } else {
            unknown.add(new Odrl.Unknown("a " + constraint.getClass().getSimpleName() + " (or/xone choices are not evaluable)"));
        }
    }
}
