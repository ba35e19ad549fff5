package org.labspace.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy that cannot be read or used, with every problem found. */
public final class PolicyException extends RuntimeException {

    private final List<PolicyProblem> problems;

    public PolicyException(List<PolicyProblem> problems) {
        super(problems.size() == 1 ? problems.get(0).toString()
                : problems.size() + " problems:\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public static PolicyException of(SourceRef where, String message) {
        return new PolicyException(List.of(new PolicyProblem(where, message)));
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
