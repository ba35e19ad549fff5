package org.labspace.catalog;

import java.time.Instant;

/**
 * How crawling one lab's catalog went.
 *
 * @param lastSuccess when its catalog was last read whole, or null if never
 * @param lastError   why the last attempt failed, or null when it succeeded
 * @param datasets    datasets held from the last success
 */
public record PeerStatus(String lab, Instant lastAttempt, Instant lastSuccess, String lastError, int datasets) {
}
