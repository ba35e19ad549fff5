package org.labspace.policy;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Decides one Labspace constraint. The connector's functions in EDC's policy engine and the dry run
 * ({@link PolicyExplainer}) both call this, so an explanation gives the decision the connector will make.
 */
public final class ConstraintCheck {

    private ConstraintCheck() {
    }

    public static Verdict evaluate(Condition c, AccessFacts facts) {
        var operand = c.operand();
        if (operand.isParticipantFact()) {
            return participant(c, facts.participant());
        }
        return switch (operand) {
            case PURPOSE -> facts.purpose() == null || facts.purpose().equals(c.value())
                    ? new Verdict(true, c, "the purpose is " + c.value())
                    : new Verdict(false, c, "the declared purpose " + facts.purpose() + " is not " + c.value());
            case VALID_UNTIL -> {
                var until = LocalDate.parse(c.value());
                var today = facts.now().atZone(ZoneOffset.UTC).toLocalDate();
                yield today.isAfter(until) ? new Verdict(false, c, "the agreement expired after " + until)
                        : new Verdict(true, c, "valid until " + until);
            }
            case VALID_FOR -> {
                if (facts.signedAt() == null) {
                    yield new Verdict(true, c, "valid for " + Durations.words(c.value()) + " from signature");
                }
                var end = Durations.after(facts.signedAt(), Durations.parse(c.value()));
                yield facts.now().isBefore(end) ? new Verdict(true, c, "valid until " + end)
                        : new Verdict(false, c, "the agreement expired at " + end + " (" + Durations.words(c.value()) + " after signature)");
            }
            case MAX_TRANSFERS -> {
                var max = Long.parseLong(c.value().trim());
                if (facts.transfersSoFar() == null) {
                    yield new Verdict(true, c, "at most " + max + " transfers");
                }
                yield facts.transfersSoFar() < max ? new Verdict(true, c, facts.transfersSoFar() + " of " + max + " transfers used")
                        : new Verdict(false, c, "all " + max + " transfers the agreement allows are used");
            }
            case ATTRIBUTION -> new Verdict(true, c, "duty: cite \"" + c.value() + "\"");
            case DELETE_AFTER -> new Verdict(true, c, "duty: delete the data within " + Durations.words(c.value()));
            default -> new Verdict(true, c, "enforced by the data plane: " + PlainLanguage.restriction(c));
        };
    }

    private static Verdict participant(Condition c, Participant participant) {
        if (participant == null) {
            return new Verdict(false, c, "the participant is not a known member of the network");
        }
        if (!participant.active()) {
            return new Verdict(false, c, participant.id() + " is suspended from the network");
        }
        List<String> held = switch (c.operand()) {
            case MEMBER_COUNTRY -> List.of(participant.country());
            case ORGANIZATION_TYPE -> List.of(participant.organizationType());
            case PARTICIPANT -> List.of(participant.id());
            default -> participant.accreditations();
        };
        var passed = switch (c.operator()) {
            case EQ -> held.contains(c.value());
            case NEQ -> !held.contains(c.value());
            case IS_ANY_OF -> held.stream().anyMatch(c.values()::contains);
            case IS_NONE_OF -> held.stream().noneMatch(c.values()::contains);
        };
        var fact = c.operand() == Operand.ACCREDITATION
                ? participant.id() + " holds " + (held.isEmpty() ? "no accreditation" : String.join(", ", held))
                : c.operand().term() + " of " + participant.id() + " is " + held.get(0);
        return new Verdict(passed, c, fact + "; required: " + PlainLanguage.condition(c));
    }
}
