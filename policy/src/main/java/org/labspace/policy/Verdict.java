package org.labspace.policy;

/** One constraint's outcome, with the reason in plain words. */
public record Verdict(boolean passed, Condition condition, String reason) {

    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + condition.operand().term() + ": " + reason;
    }
}
