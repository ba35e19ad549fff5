package org.labspace.connector.dataplane;

import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;
import org.labspace.dataplane.restriction.RestrictionException;
import org.labspace.dataplane.restriction.RestrictionTerms;

import java.util.List;
import java.util.Map;

/**
 * A data restriction in EDC's policy engine. The data plane enforces it on every stream; here it is only checked
 * to be well formed, when a policy is stored ({@link #validate}) and when a negotiation or transfer evaluates it, so
 * that an agreement whose restriction the data plane could not apply is never signed.
 */
final class DataRestrictionFunction<C extends PolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    private final String term;

    DataRestrictionFunction(String term) {
        this.term = term;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var problem = problem(operator, rightValue);
        if (problem != null) {
            context.reportProblem(problem);
            return false;
        }
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        var problem = problem(operator, rightValue);
        return problem == null ? Result.success() : Result.failure(problem);
    }

    @Override
    public String name() {
        return "Labspace data restriction " + term;
    }

    private String problem(Operator operator, Object rightValue) {
        if (operator != Operator.EQ) {
            return term + " takes the operator eq, not " + operator;
        }
        try {
            RestrictionTerms.read(List.of(Map.entry(term, AgreementRestrictions.plain(rightValue))));
            return null;
        } catch (RestrictionException e) {
            return e.getMessage();
        }
    }
}
