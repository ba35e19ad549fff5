package org.labspace.connector.audit;

import java.time.Instant;

/** Which audit lines to read; null fields do not filter. At most {@code limit} lines, the latest ones, oldest first. */
public record AuditQuery(Instant since, Instant until, String kind, String decision, String participant, String dataset, String agreement,
                         String researcher, int limit) {

    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        if (since != null && until != null && until.isBefore(since)) {
            throw new IllegalArgumentException("until (" + until + ") is before since (" + since + ")");
        }
    }
}
