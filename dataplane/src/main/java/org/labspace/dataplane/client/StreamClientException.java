package org.labspace.dataplane.client;

/** The data plane refused a request ({@code status} > 0) or a stream failed beyond its resumes ({@code status} 0). */
public class StreamClientException extends RuntimeException {

    private final int status;

    public StreamClientException(int status, String message) {
        super(message);
        this.status = status;
    }

    public StreamClientException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }
}
