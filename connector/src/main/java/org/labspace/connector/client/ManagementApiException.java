package org.labspace.connector.client;

/** The Management API answered with an error, or could not be reached; the message is fit to print as is. */
public class ManagementApiException extends RuntimeException {

    private final int status;
    private final java.util.List<String> problems;

    public ManagementApiException(int status, String message) {
        this(status, message, java.util.List.of());
    }

    /** @param problems the answer's list of problems, one per line (a refused policy's file:line reasons) */
    public ManagementApiException(int status, String message, java.util.List<String> problems) {
        super(message);
        this.status = status;
        this.problems = java.util.List.copyOf(problems);
    }

    public ManagementApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.problems = java.util.List.of();
    }

    public java.util.List<String> problems() {
        return problems;
    }

    /** HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }
}
