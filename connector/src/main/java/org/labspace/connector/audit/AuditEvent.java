package org.labspace.connector.audit;

import java.time.Instant;

/**
 * One line of the audit log. It names who, what and the decision; it never holds dataset content, tokens or keys.
 *
 * @param kind     {@code catalog}, {@code negotiation}, {@code transfer}, {@code stream}, {@code revocation}, {@code pull}
 * @param decision {@code shown}, {@code granted}, {@code refused}, {@code started}, {@code ended}, {@code cut}, {@code revoked}
 */
public record AuditEvent(Instant at, String kind, String decision, String participant, String researcher, String dataset,
                         String agreement, String transfer, String detail) {

    public AuditEvent {
        detail = detail == null ? "" : detail;
    }

    public static AuditEvent of(Instant at, String kind, String decision, String participant, String dataset, String agreement, String transfer, String detail) {
        return new AuditEvent(at, kind, decision, participant, null, dataset, agreement, transfer, detail);
    }
}
