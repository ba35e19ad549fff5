package org.labspace.policy;

import org.labspace.dataplane.filter.FilterException;
import org.labspace.dataplane.filter.FilterParser;
import org.labspace.dataplane.restriction.RestrictionException;
import org.labspace.dataplane.restriction.RestrictionTerms;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses any policy Labspace could not enforce exactly as written: values of the wrong type, unknown purposes,
 * contradictions (conditions no participant can meet, a column both allowed and denied), restrictions naming
 * columns a target dataset lacks, validity already over. Runs on policies read from files and on policies decoded
 * from stored ODRL alike.
 */
public final class PolicyValidator {

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private final List<PolicyProblem> problems = new ArrayList<>();
    private final LocalDate today;

    private PolicyValidator(LocalDate today) {
        this.today = today;
    }

    /**
     * @param today    the date against which {@code validUntil} must lie ahead
     * @param datasets columns of each dataset the policy will govern (by dataset id); empty when none is known yet
     * @throws PolicyException with every problem found
     */
    public static void validate(LabPolicy policy, LocalDate today, Map<String, Set<String>> datasets) {
        var validator = new PolicyValidator(today);
        validator.check(policy, datasets);
        if (!validator.problems.isEmpty()) {
            throw new PolicyException(validator.problems);
        }
    }

    /**
     * The problems of one constraint on its own (its value's type; a restriction as the data plane reads it), for
     * checks of single stored constraints.
     */
    public static List<String> problems(Condition condition, LocalDate today) {
        var validator = new PolicyValidator(today);
        validator.value(condition);
        if (condition.operand().isRestriction() && validator.problems.isEmpty()) {
            validator.restrictions(new Rule("stored", List.of(), List.of(condition), condition.where()), Map.of());
        }
        return validator.problems.stream().map(PolicyProblem::message).toList();
    }

    private void check(LabPolicy policy, Map<String, Set<String>> datasets) {
        if (policy.rules().isEmpty()) {
            problems.add(new PolicyProblem(policy.where(), "the policy has no rule, so it would grant nothing"));
        }
        policy.visibleTo().forEach(this::value);
        feasible(policy.visibleTo(), "visibleTo");
        for (var rule : policy.rules()) {
            var purposes = new LinkedHashSet<String>();
            for (var purpose : rule.purposes()) {
                if (!Purpose.isKnown(purpose)) {
                    problems.add(new PolicyProblem(rule.where().at(rule.where().path() + ".purpose", rule.where().line()),
                            "unknown purpose '" + purpose + "'" + PolicyReader.suggestion(purpose, Purpose.ALL) + "; known: " + String.join(", ", Purpose.ALL)));
                }
                if (!purposes.add(purpose)) {
                    problems.add(new PolicyProblem(rule.where(), "purpose '" + purpose + "' is listed twice in rule '" + rule.name() + "'"));
                }
            }
            rule.conditions().forEach(this::value);
            once(rule);
            var who = new ArrayList<>(policy.visibleTo());
            who.addAll(rule.participantConditions());
            if (feasible(rule.participantConditions(), "rule '" + rule.name() + "'")) {
                feasible(who, "rule '" + rule.name() + "' together with visibleTo");
            }
            restrictions(rule, datasets);
        }
    }

    /** The right operand has the operand's type. */
    private void value(Condition condition) {
        var operand = condition.operand();
        for (var value : condition.values()) {
            var problem = switch (operand.kind()) {
                case PURPOSE -> Purpose.isKnown(value) ? null : "unknown purpose '" + value + "'; known: " + String.join(", ", Purpose.ALL);
                case COUNTRY -> COUNTRY.matcher(value).matches() ? null : "'" + value + "' is not a two-letter country code such as ES or PT";
                case ORGANIZATION_TYPE -> Participant.ORGANIZATION_TYPES.contains(value) ? null
                        : "unknown organization type '" + value + "'" + PolicyReader.suggestion(value, Participant.ORGANIZATION_TYPES)
                        + "; known: " + String.join(", ", Participant.ORGANIZATION_TYPES);
                case WORD -> WORD.matcher(value).matches() ? null : "'" + value + "' is not a valid " + operand.term();
                case DURATION -> duration(value);
                case DATE -> date(value);
                case COUNT -> count(value);
                case TEXT -> value.isBlank() ? operand.term() + " must not be empty" : value.length() > 2000 ? operand.term() + " is longer than 2000 characters" : null;
                case FILTER -> filter(value);
                case COLUMNS, MASKS -> value.isBlank() ? operand.term() + " names an empty column" : null;
            };
            if (problem != null) {
                problems.add(new PolicyProblem(condition.where(), problem));
            }
        }
        if (condition.values().isEmpty()) {
            problems.add(new PolicyProblem(condition.where(), operand.term() + " has no value"));
        }
    }

    private String duration(String value) {
        try {
            Durations.parse(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private String date(String value) {
        try {
            var date = LocalDate.parse(value);
            return date.isBefore(today) ? "validUntil " + value + " is already past: no agreement could be used" : null;
        } catch (DateTimeParseException e) {
            return "'" + value + "' is not a date such as 2027-12-31";
        }
    }

    private static String count(String value) {
        try {
            return Long.parseLong(value.trim()) >= 1 ? null : "'" + value + "' must be at least 1";
        } catch (NumberFormatException e) {
            return "'" + value + "' is not a whole number";
        }
    }

    private static String filter(String value) {
        try {
            FilterParser.parse(value);
            return null;
        } catch (FilterException e) {
            return "rowFilter does not parse: " + e.getMessage();
        }
    }

    /** Validity, transfer count, row filter and duties appear at most once per rule, so no reader has to guess. */
    private void once(Rule rule) {
        var seen = new java.util.HashSet<Operand>();
        for (var condition : rule.conditions()) {
            var single = !condition.operand().isParticipantFact();
            if (single && !seen.add(condition.operand())) {
                problems.add(new PolicyProblem(condition.where(), condition.operand().term() + " is given twice in rule '" + rule.name() + "'"));
            }
        }
    }

    /**
     * Whether some participant could meet all these conditions; reports the first operand none could meet. Country,
     * organization type and participant id have one value per participant; accreditations are a set.
     */
    private boolean feasible(List<Condition> conditions, String where) {
        for (var operand : List.of(Operand.MEMBER_COUNTRY, Operand.ORGANIZATION_TYPE, Operand.PARTICIPANT, Operand.ACCREDITATION)) {
            var on = conditions.stream().filter(c -> c.operand() == operand).toList();
            if (on.isEmpty()) {
                continue;
            }
            Set<String> possible = null;
            var excluded = new LinkedHashSet<String>();
            var required = new LinkedHashSet<String>();
            var anyOf = new ArrayList<List<String>>();
            for (var c : on) {
                switch (c.operator()) {
                    case EQ -> {
                        if (operand == Operand.ACCREDITATION) {
                            required.add(c.value());
                        } else {
                            possible = intersect(possible, Set.of(c.value()));
                        }
                    }
                    case IS_ANY_OF -> {
                        if (operand == Operand.ACCREDITATION) {
                            anyOf.add(c.values());
                        } else {
                            possible = intersect(possible, Set.copyOf(c.values()));
                        }
                    }
                    case NEQ, IS_NONE_OF -> excluded.addAll(c.values());
                }
            }
            var ref = on.get(on.size() - 1).where();
            String contradiction = null;
            if (operand == Operand.ACCREDITATION) {
                var clash = required.stream().filter(excluded::contains).findFirst();
                if (clash.isPresent()) {
                    contradiction = "accreditation '" + clash.get() + "' is both required and excluded";
                } else if (anyOf.stream().anyMatch(excluded::containsAll)) {
                    contradiction = "every accreditation of an isAnyOf list is also excluded";
                }
            } else if (possible != null) {
                var left = new LinkedHashSet<>(possible);
                left.removeAll(excluded);
                if (left.isEmpty()) {
                    contradiction = "no participant can meet every condition on " + operand.term();
                }
            }
            if (contradiction != null) {
                problems.add(new PolicyProblem(ref, "contradiction in " + where + ": " + contradiction));
                return false;
            }
        }
        return true;
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        if (a == null) {
            return new LinkedHashSet<>(b);
        }
        var out = new LinkedHashSet<>(a);
        out.retainAll(b);
        return out;
    }

    /** The rule's data restrictions read as the data plane will read them; their columns exist in every target dataset. */
    private void restrictions(Rule rule, Map<String, Set<String>> datasets) {
        var conditions = rule.restrictions();
        if (conditions.isEmpty()) {
            return;
        }
        var terms = new ArrayList<Map.Entry<String, Object>>();
        conditions.forEach(c -> terms.add(Map.entry(c.operand().iri(), c.operand().kind() == Operand.Kind.COLUMNS
                || c.operand().kind() == Operand.Kind.MASKS ? c.values() : c.value())));
        org.labspace.dataplane.restriction.Restrictions read;
        try {
            read = RestrictionTerms.read(terms);
        } catch (RestrictionException e) {
            problems.add(new PolicyProblem(conditions.get(0).where(), e.getMessage()));
            return;
        }
        var where = "rule '" + rule.name() + "'";
        var allowed = read.allowedColumns();
        for (var column : read.deniedColumns()) {
            if (allowed != null && allowed.contains(column)) {
                problems.add(new PolicyProblem(ref(rule, Operand.DENIED_COLUMNS), "contradiction in " + where + ": column '" + column + "' is both allowed and denied"));
            }
        }
        for (var column : read.maskedColumns().keySet()) {
            if (read.deniedColumns().contains(column)) {
                problems.add(new PolicyProblem(ref(rule, Operand.MASKED_COLUMNS), "contradiction in " + where + ": column '" + column
                        + "' is both masked and denied; deny it, or mask it"));
            }
            if (allowed != null && !allowed.contains(column)) {
                problems.add(new PolicyProblem(ref(rule, Operand.MASKED_COLUMNS), "contradiction in " + where + ": masked column '" + column
                        + "' is not among the allowed columns"));
            }
        }
        if (allowed != null && !allowed.isEmpty() && read.deniedColumns().containsAll(allowed)) {
            problems.add(new PolicyProblem(ref(rule, Operand.ALLOWED_COLUMNS), "contradiction in " + where + ": every allowed column is also denied"));
        }
        for (var dataset : datasets.entrySet()) {
            var named = new LinkedHashSet<String>();
            if (allowed != null) {
                named.addAll(allowed);
            }
            named.addAll(read.deniedColumns());
            named.addAll(read.maskedColumns().keySet());
            if (read.rowFilter() != null) {
                named.addAll(read.rowFilter().columns());
            }
            named.removeAll(dataset.getValue());
            if (!named.isEmpty()) {
                problems.add(new PolicyProblem(conditions.get(0).where(), where + " names column" + (named.size() == 1 ? " " : "s ")
                        + String.join(", ", named) + " that dataset '" + dataset.getKey() + "' lacks; its columns: " + String.join(", ", dataset.getValue())));
            }
        }
    }

    private static SourceRef ref(Rule rule, Operand operand) {
        return rule.find(operand).map(Condition::where).orElse(rule.where());
    }
}
