package org.labspace.connector.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.util.List;

/**
 * Turns EDC's {@code 409} for a DSP message that arrived a moment too early into {@code 503 Retry-After}, which the
 * sender's HTTP client retries with backoff, instead of terminating the negotiation.
 * <p>
 * A peer's message can arrive while this connector's own state machine still holds the lease on that negotiation
 * or transfer, because it is finishing the step before. EDC answers {@code 409}, which the sender treats as fatal,
 * yet the conflict clears within milliseconds.
 */
public final class BusyEntityFilter implements ContainerResponseFilter {

    // only the lease conflict: EDC refuses it before touching the entity, so a retry is safe. A refusal for a
    // wrong state ("negotiation cannot be agreed") has already written back a stale copy, and a retry would go on
    // from that copy and produce a second agreement; it stays 409
    static final List<String> TRANSIENT_CONFLICTS = List.of("is currently leased");

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (isTransientConflict(response)) {
            response.setStatus(503);
            response.getHeaders().putSingle("Retry-After", "1");
        }
    }

    /** A 409 for a lease held a moment too long: the request had no effect and may be sent again. */
    public static boolean isTransientConflict(ContainerResponseContext response) {
        if (response.getStatus() != 409 || response.getEntity() == null) {
            return false;
        }
        var body = response.getEntity().toString();
        return TRANSIENT_CONFLICTS.stream().anyMatch(body::contains);
    }
}
