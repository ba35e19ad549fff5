package org.labspace.policy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The left operands of Labspace policies, with the operators each accepts and where each is evaluated. Their IRIs
 * live in the Labspace namespace; a constraint on any other operand is refused, because EDC's policy engine would
 * silently drop it.
 */
public enum Operand {

    PURPOSE("purpose", Kind.PURPOSE, EnumSet.of(Operator.EQ), Stage.NEGOTIATION),
    MEMBER_COUNTRY("memberCountry", Kind.COUNTRY, Operator.MEMBERSHIP, Stage.CATALOG, Stage.NEGOTIATION, Stage.TRANSFER),
    ORGANIZATION_TYPE("organizationType", Kind.ORGANIZATION_TYPE, Operator.MEMBERSHIP, Stage.CATALOG, Stage.NEGOTIATION, Stage.TRANSFER),
    ACCREDITATION("accreditation", Kind.WORD, Operator.MEMBERSHIP, Stage.CATALOG, Stage.NEGOTIATION, Stage.TRANSFER),
    PARTICIPANT("participant", Kind.WORD, Operator.MEMBERSHIP, Stage.CATALOG, Stage.NEGOTIATION, Stage.TRANSFER),
    VALID_FOR("validFor", Kind.DURATION, EnumSet.of(Operator.EQ), Stage.TRANSFER, Stage.DATA_PLANE),
    VALID_UNTIL("validUntil", Kind.DATE, EnumSet.of(Operator.EQ), Stage.NEGOTIATION, Stage.TRANSFER, Stage.DATA_PLANE),
    MAX_TRANSFERS("maxTransfers", Kind.COUNT, EnumSet.of(Operator.EQ), Stage.TRANSFER),
    ALLOWED_COLUMNS("allowedColumns", Kind.COLUMNS, EnumSet.of(Operator.EQ), Stage.DATA_PLANE),
    DENIED_COLUMNS("deniedColumns", Kind.COLUMNS, EnumSet.of(Operator.EQ), Stage.DATA_PLANE),
    MASKED_COLUMNS("maskedColumns", Kind.MASKS, EnumSet.of(Operator.EQ), Stage.DATA_PLANE),
    ROW_FILTER("rowFilter", Kind.FILTER, EnumSet.of(Operator.EQ), Stage.DATA_PLANE),
    MAX_ROWS_PER_TRANSFER("maxRowsPerTransfer", Kind.COUNT, EnumSet.of(Operator.EQ), Stage.DATA_PLANE),
    ATTRIBUTION("attribution", Kind.TEXT, EnumSet.of(Operator.EQ), Stage.DUTY),
    DELETE_AFTER("deleteAfter", Kind.DURATION, EnumSet.of(Operator.EQ), Stage.DUTY);

    /** The namespace of every Labspace term, shared with the data plane's restriction terms. */
    public static final String NAMESPACE = "https://w3id.org/labspace/v1/";

    /** What the right operand must be. */
    public enum Kind { PURPOSE, COUNTRY, ORGANIZATION_TYPE, WORD, DURATION, DATE, COUNT, COLUMNS, MASKS, FILTER, TEXT }

    /** Where a constraint is decided or enforced. */
    public enum Stage { CATALOG, NEGOTIATION, TRANSFER, DATA_PLANE, DUTY }

    private final String term;
    private final Kind kind;
    private final Set<Operator> operators;
    private final Set<Stage> stages;

    Operand(String term, Kind kind, Set<Operator> operators, Stage... stages) {
        this.term = term;
        this.kind = kind;
        this.operators = operators;
        this.stages = EnumSet.copyOf(Arrays.asList(stages));
    }

    /** The name used in policy files, e.g. {@code memberCountry}. */
    public String term() {
        return term;
    }

    public String iri() {
        return NAMESPACE + term;
    }

    public Kind kind() {
        return kind;
    }

    public Set<Operator> operators() {
        return operators;
    }

    public Set<Stage> stages() {
        return stages;
    }

    /** True for the operands describing who the participant is (from the verified registry claims). */
    public boolean isParticipantFact() {
        return this == MEMBER_COUNTRY || this == ORGANIZATION_TYPE || this == ACCREDITATION || this == PARTICIPANT;
    }

    public boolean isRestriction() {
        return stages.equals(EnumSet.of(Stage.DATA_PLANE));
    }

    public boolean isDuty() {
        return stages.contains(Stage.DUTY);
    }

    /** By policy-file name or full IRI. */
    public static Optional<Operand> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        var term = name.startsWith(NAMESPACE) ? name.substring(NAMESPACE.length()) : name;
        return Arrays.stream(values()).filter(o -> o.term.equals(term)).findFirst();
    }
}
