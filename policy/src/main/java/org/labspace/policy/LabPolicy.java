package org.labspace.policy;

import java.util.List;

/**
 * A Labspace policy as a policy officer writes it: who sees the datasets under it in the catalog ({@code visibleTo},
 * empty for every active member), and the rules under which agreements are granted.
 */
public record LabPolicy(String id, String description, List<Condition> visibleTo, List<Rule> rules, SourceRef where) {

    public LabPolicy {
        description = description == null ? "" : description;
        visibleTo = List.copyOf(visibleTo);
        rules = List.copyOf(rules);
    }

    /** Every purpose some rule grants. */
    public List<String> purposes() {
        return rules.stream().flatMap(r -> r.purposes().stream()).distinct().toList();
    }
}
