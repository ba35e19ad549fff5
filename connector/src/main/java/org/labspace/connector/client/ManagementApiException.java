package org.labspace.connector.client;

/** The Management API answered with an error, or could not be reached; the message is fit to print as is. */
public class ManagementApiException extends RuntimeException {

    private final int status;

    public ManagementApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ManagementApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }
}
