package org.labspace.policy;

import java.util.List;
import java.util.Optional;

/**
 * One {@code allow} rule: for these purposes, a participant meeting the participant conditions gets an agreement
 * whose terms (validity, transfer count, data restrictions, duties) are the rule's other conditions. Each purpose
 * becomes its own offer, so the agreement records the purpose the researcher declared by choosing it.
 */
public record Rule(String name, List<String> purposes, List<Condition> conditions, SourceRef where) {

    public Rule {
        purposes = List.copyOf(purposes);
        conditions = List.copyOf(conditions);
    }

    /** Conditions on who the participant is. */
    public List<Condition> participantConditions() {
        return conditions.stream().filter(c -> c.operand().isParticipantFact()).toList();
    }

    /** Data restrictions, handed to the data plane. */
    public List<Condition> restrictions() {
        return conditions.stream().filter(c -> c.operand().isRestriction()).toList();
    }

    public List<Condition> duties() {
        return conditions.stream().filter(c -> c.operand().isDuty()).toList();
    }

    /** Validity and transfer count: the agreement's own terms. */
    public List<Condition> terms() {
        return conditions.stream().filter(c -> c.operand() == Operand.VALID_FOR || c.operand() == Operand.VALID_UNTIL
                || c.operand() == Operand.MAX_TRANSFERS).toList();
    }

    public Optional<Condition> find(Operand operand) {
        return conditions.stream().filter(c -> c.operand() == operand).findFirst();
    }
}
