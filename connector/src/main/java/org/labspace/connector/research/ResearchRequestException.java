package org.labspace.connector.research;

/** A research API or researcher administration request that cannot be carried out, with its HTTP status. */
public final class ResearchRequestException extends RuntimeException {

    private final int status;

    public ResearchRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
