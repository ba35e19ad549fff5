package org.labspace.connector.agreement;

/** An agreement request that cannot be carried out; {@code status} is the HTTP status the API answers with. */
public final class AgreementRequestException extends RuntimeException {

    private final int status;

    AgreementRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
