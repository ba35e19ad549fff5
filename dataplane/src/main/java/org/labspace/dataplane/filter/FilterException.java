package org.labspace.dataplane.filter;

/** A row filter that does not parse; the message says where and why. */
public class FilterException extends IllegalArgumentException {

    public FilterException(String message) {
        super(message);
    }
}
