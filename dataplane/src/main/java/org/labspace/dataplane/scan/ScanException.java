package org.labspace.dataplane.scan;

/** A scan that failed inside the reader: a file vanished or is corrupt, or the reader ran out of memory. */
public class ScanException extends RuntimeException {

    public ScanException(String message, Throwable cause) {
        super(message, cause);
    }
}
