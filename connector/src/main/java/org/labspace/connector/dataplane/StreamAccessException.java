package org.labspace.connector.dataplane;

/** A stream request refused before any byte is sent: {@code status} is the HTTP status, the message the reason. */
class StreamAccessException extends RuntimeException {

    private final int status;

    StreamAccessException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
