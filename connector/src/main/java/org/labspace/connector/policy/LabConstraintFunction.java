package org.labspace.connector.policy;

import org.eclipse.edc.connector.controlplane.contract.spi.policy.AgreementPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.labspace.connector.audit.AuditEvent;
import org.labspace.connector.audit.AuditLog;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;
import org.labspace.connector.trust.CallerClaims;
import org.labspace.policy.AccessFacts;
import org.labspace.policy.Condition;
import org.labspace.policy.ConstraintCheck;
import org.labspace.policy.Operand;
import org.labspace.policy.Participant;
import org.labspace.policy.PolicyValidator;
import org.labspace.policy.SourceRef;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One Labspace operand in EDC's policy engine. The decision is {@link ConstraintCheck}'s, the same code the dry run
 * uses; the facts come from the verified registry claims of the caller and, at transfer start, from the agreement.
 * A constraint that does not read (a wrong operator, a value of the wrong type) fails, with the reason reported.
 */
final class LabConstraintFunction implements AtomicConstraintRuleFunction<Permission, ParticipantAgentPolicyContext> {

    private final Operand operand;
    private final Clock clock;
    private final ToLongFunction<String> transfersOfAgreement;
    private final AuditLog audit;
    private final java.util.function.Function<Object, String> targetOf;

    /**
     * @param targetOf the dataset a negotiation's policy is evaluated for (EDC gives the function only the rule)
     */
    LabConstraintFunction(Operand operand, Clock clock, ToLongFunction<String> transfersOfAgreement, AuditLog audit,
                          java.util.function.Function<Object, String> targetOf) {
        this.operand = operand;
        this.clock = clock;
        this.transfersOfAgreement = transfersOfAgreement;
        this.audit = audit;
        this.targetOf = targetOf;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, ParticipantAgentPolicyContext context) {
        var condition = condition(operator, rightValue);
        if (condition == null) {
            return refuse(context, rule, operand.term() + " does not take the operator " + operator + " or the value " + rightValue);
        }
        var problems = PolicyValidator.problems(condition, LocalDate.MIN);
        if (!problems.isEmpty()) {
            return refuse(context, rule, operand.term() + ": " + String.join("; ", problems));
        }
        var verdict = ConstraintCheck.evaluate(condition, facts(context));
        return verdict.passed() || refuse(context, rule, verdict.toString());
    }

    /** Reports the failing constraint to EDC and, for negotiations and transfer starts, to the audit log. */
    private boolean refuse(ParticipantAgentPolicyContext context, Permission rule, String problem) {
        context.reportProblem(problem);
        var kind = context instanceof ContractNegotiationPolicyContext ? "negotiation" : context instanceof TransferProcessPolicyContext ? "transfer" : null;
        if (kind != null) {
            var participant = participant(context);
            String dataset = targetOf.apply(context);
            String agreement = null;
            if (context instanceof TransferProcessPolicyContext transfer && transfer.contractAgreement() != null) {
                dataset = transfer.contractAgreement().getAssetId();
                agreement = transfer.contractAgreement().getId();
            }
            audit.record(AuditEvent.of(Instant.now(clock), kind, "refused", participant == null ? null : participant.id(), dataset, agreement, null, problem));
        }
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        var condition = condition(operator, rightValue);
        if (condition == null) {
            return Result.failure(operand.term() + " does not take the operator " + operator + " with the value " + rightValue);
        }
        var problems = PolicyValidator.problems(condition, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        return problems.isEmpty() ? Result.success() : Result.failure(operand.term() + ": " + String.join("; ", problems));
    }

    @Override
    public String name() {
        return "Labspace " + operand.term();
    }

    private Condition condition(Operator operator, Object rightValue) {
        var labOperator = org.labspace.policy.Operator.of(operator.name());
        if (labOperator.isEmpty() || !operand.operators().contains(labOperator.get())) {
            return null;
        }
        var value = PolicyValues.plain(rightValue);
        List<String> values;
        if (value instanceof List<?> list) {
            values = list.stream().map(String::valueOf).toList();
        } else if (value == null) {
            return null;
        } else if (operand.kind() == Operand.Kind.COLUMNS || operand.kind() == Operand.Kind.MASKS) {
            values = Arrays.stream(String.valueOf(value).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        } else {
            values = List.of(String.valueOf(value));
        }
        if (labOperator.get().takesList() != (value instanceof List<?>) && !(operand.kind() == Operand.Kind.COLUMNS || operand.kind() == Operand.Kind.MASKS)) {
            return null;
        }
        return new Condition(operand, labOperator.get(), values, SourceRef.NONE);
    }

    private AccessFacts facts(ParticipantAgentPolicyContext context) {
        var now = Instant.now(clock);
        Instant signedAt = null;
        Long transfers = null;
        if (context instanceof AgreementPolicyContext agreementContext && agreementContext.contractAgreement() != null) {
            var agreement = agreementContext.contractAgreement();
            signedAt = Instant.ofEpochSecond(agreement.getContractSigningDate());
            now = agreementContext.now() == null ? now : agreementContext.now();
            if (operand == Operand.MAX_TRANSFERS) {
                transfers = transfersOfAgreement.applyAsLong(agreement.getId());
            }
        }
        return new AccessFacts(participant(context), null, now, signedAt, transfers);
    }

    /** The caller as the registry describes it; its claims were put there by the trust layer, never by the caller. */
    static Participant participant(ParticipantAgentPolicyContext context) {
        var agent = context.participantAgent();
        if (agent == null || !(agent.getClaims().get(CallerClaims.PARTICIPANT_ID) instanceof String id)) {
            return null;
        }
        var claims = agent.getClaims();
        var accreditations = claims.get(CallerClaims.ACCREDITATIONS) instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.<String>of();
        return new Participant(id, (String) claims.get(CallerClaims.COUNTRY), (String) claims.get(CallerClaims.ORGANIZATION_TYPE), accreditations, true);
    }
}
