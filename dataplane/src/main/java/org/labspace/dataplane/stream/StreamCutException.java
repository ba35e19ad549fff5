package org.labspace.dataplane.stream;

/** A running stream stopped because it is no longer allowed; the message says why. */
public class StreamCutException extends RuntimeException {

    public StreamCutException(String message) {
        super(message);
    }
}
