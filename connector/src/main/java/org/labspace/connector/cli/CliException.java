package org.labspace.connector.cli;

/** A command failed for a reason the user can act on; printed as one line. */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
