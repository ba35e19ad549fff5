package org.labspace.policy;

/** One reason a policy is refused, with where it was written. */
public record PolicyProblem(SourceRef where, String message) {

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
