package org.labspace.connector.policy;

import java.util.List;

/** A policy request that cannot be carried out; {@code status} is the HTTP status the API answers with. */
public final class PolicyRequestException extends RuntimeException {

    private final int status;
    private final List<String> problems;

    PolicyRequestException(int status, String message, List<String> problems) {
        super(message);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public List<String> problems() {
        return problems;
    }
}
