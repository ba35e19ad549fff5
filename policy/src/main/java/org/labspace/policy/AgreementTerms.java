package org.labspace.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What an agreement's policy says once signed: the purpose it was granted for, when it expires, how many transfers
 * it allows, the data restrictions and duties, in words. Read from the agreement's own copy of the policy, so later
 * changes to the lab's policy do not change agreements already signed.
 *
 * @param expiresAt the earliest end of {@code validFor} (from signature) and {@code validUntil} (end of that day, UTC);
 *                  null when the agreement does not expire
 */
public record AgreementTerms(String purpose, Instant expiresAt, Long maxTransfers, List<String> restrictions, List<String> duties) {

    public static AgreementTerms of(Odrl.Policy policy, Instant signedAt) {
        String purpose = null;
        Instant expires = null;
        Long maxTransfers = null;
        var restrictions = new ArrayList<String>();
        var duties = new ArrayList<String>();
        for (var permission : policy.permissions()) {
            for (var constraint : permission.constraints()) {
                var operand = Operand.of(constraint.leftOperand()).orElse(null);
                if (operand == null) {
                    continue;
                }
                var condition = new Condition(operand, constraint.operator(), split(operand, constraint.values()), SourceRef.NONE);
                try {
                    switch (operand) {
                        case PURPOSE -> purpose = condition.value();
                        case VALID_FOR -> expires = earlier(expires, Durations.after(signedAt, Durations.parse(condition.value())));
                        case VALID_UNTIL -> expires = earlier(expires, LocalDate.parse(condition.value()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
                        case MAX_TRANSFERS -> maxTransfers = Long.parseLong(condition.value().trim());
                        case ATTRIBUTION, DELETE_AFTER -> duties.add(ConstraintCheck.evaluate(condition, new AccessFacts(null, null, signedAt, signedAt, null)).reason());
                        default -> {
                            if (operand.isRestriction()) {
                                restrictions.add(PlainLanguage.restriction(condition));
                            }
                        }
                    }
                } catch (RuntimeException unreadable) {
                    // an unreadable term never widens anything: the policy engine refuses such an agreement's transfers
                    restrictions.add("unreadable " + operand.term() + ": " + constraint.rightOperand());
                }
            }
        }
        return new AgreementTerms(purpose, expires, maxTransfers, List.copyOf(restrictions), List.copyOf(duties));
    }

    /** Null while the agreement is in force at {@code now}; else why it is not. */
    public String expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt) ? "the agreement expired at " + expiresAt : null;
    }

    private static List<String> split(Operand operand, List<String> values) {
        if (operand.kind() != Operand.Kind.COLUMNS && operand.kind() != Operand.Kind.MASKS) {
            return values;
        }
        return values.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
