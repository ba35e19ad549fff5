package org.labspace.connector.trust;

/**
 * A key, registry or token that cannot be trusted. The message says why, in words fit for a log line: it never
 * contains key material or a token.
 */
public class TrustException extends Exception {

    public TrustException(String message) {
        super(message);
    }

    public TrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
