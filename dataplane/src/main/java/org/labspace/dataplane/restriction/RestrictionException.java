package org.labspace.dataplane.restriction;

/** A stream request that asks for more than the agreement allows (403). */
public class RestrictionException extends RuntimeException {

    public RestrictionException(String message) {
        super(message);
    }
}
