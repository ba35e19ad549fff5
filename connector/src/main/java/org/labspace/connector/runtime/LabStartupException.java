package org.labspace.connector.runtime;

/** The connector could not start; the message says why in words a lab administrator can act on. */
public class LabStartupException extends RuntimeException {
    public LabStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
