package org.labspace.connector.identity;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import org.labspace.connector.trust.IdentityTokens;
import org.labspace.connector.trust.VerifiedCaller;
import org.labspace.connector.web.PeerMessageRetry;

/**
 * Keeps replay protection from refusing an honest retry. EDC's HTTP client resends a DSP request answered with 5xx
 * using the same token; the token was already marked used when it verified, so the retry would be refused as a
 * replay. When this connector answers 5xx (or a lease-conflict 409, which {@link PeerMessageRetry} hands over again), the request had no effect, and its token
 * may be presented once more.
 * <p>
 * DSP resources run synchronously on the request thread, so the token verified for a request is remembered per
 * thread between the request and the response filter.
 */
class RetriedRequestTokens implements ContainerRequestFilter, ContainerResponseFilter {

    private static final ThreadLocal<VerifiedCaller> VERIFIED = new ThreadLocal<>();

    private final IdentityTokens tokens;

    RetriedRequestTokens(IdentityTokens tokens) {
        this.tokens = tokens;
    }

    static void verified(VerifiedCaller caller) {
        VERIFIED.set(caller);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        VERIFIED.remove();
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        var caller = VERIFIED.get();
        VERIFIED.remove();
        if (caller != null && (response.getStatus() >= 500 || PeerMessageRetry.isLeaseConflict(response.getStatus(), response.getEntity()))) {
            tokens.release(caller);
        }
    }
}
