package org.labspace.connector.dataset;

import java.util.List;

/** A dataset request that cannot be carried out; {@code status} is the HTTP status the API answers with. */
class DatasetRequestException extends RuntimeException {

    private final int status;
    private final List<String> problems;

    DatasetRequestException(int status, String message) {
        this(status, message, List.of());
    }

    DatasetRequestException(int status, String message, List<String> problems) {
        super(message);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    int status() {
        return status;
    }

    List<String> problems() {
        return problems;
    }
}
