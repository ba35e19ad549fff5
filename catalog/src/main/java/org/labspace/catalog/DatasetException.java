package org.labspace.catalog;

/** A dataset that cannot be registered or read; the message names the file and the problem. */
public class DatasetException extends Exception {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
