package org.labspace.dataplane.restriction;

/** A stream request that is malformed or names what the dataset lacks: the client's mistake (400). */
public class StreamRequestException extends IllegalArgumentException {

    public StreamRequestException(String message) {
        super(message);
    }
}
