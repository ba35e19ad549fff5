package org.labspace.connector.statemachine;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.labspace.connector.web.PeerMessageRetry;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Holds back a peer's answer that arrives before this connector has recorded that its own message was delivered:
 * {@link PeerMessageRetry} hands it to EDC again a moment later, and the peer gets {@code 503 Retry-After} only if our
 * own step outlasts that filter's window.
 * <p>
 * EDC sends a DSP message asynchronously and records the next state only when the peer's HTTP answer is back. A quick
 * peer can act on our message in between, e.g. send the agreement while our negotiation still says REQUESTING.
 * EDC 0.15.1 then refuses the agreement as a wrong-state 409 and writes back its stale copy of the negotiation, and
 * the negotiation is lost (the race described in docs/architecture.md). Checked before EDC sees the message, the
 * early answer is refused without touching the negotiation or transfer, and the retry finds it in the right state.
 */
public final class EarlyPeerMessageFilter implements ContainerRequestFilter {

    // DSP paths, with or without a version segment (2025-1); the id is this connector's own process id
    private static final Pattern NEGOTIATION = Pattern.compile("(?:[^/]+/)?negotiations/([^/]+)/(agreement/verification|agreement|events)");
    private static final Pattern TRANSFER = Pattern.compile("(?:[^/]+/)?transfers/([^/]+)/start");
    // which of our states means "our message to the peer is still on its way back": the peer's next message is early
    private static final Map<String, String> NEGOTIATION_IN_FLIGHT = Map.of(
            "agreement", "REQUESTING",                 // consumer: our request not yet recorded as sent
            "agreement/verification", "AGREEING",      // provider: our agreement not yet recorded as sent
            "events", "VERIFYING");                    // consumer: our verification not yet recorded as sent
    private static final String TRANSFER_IN_FLIGHT = "REQUESTING"; // consumer: our transfer request not yet recorded

    private final Function<String, String> negotiationState;
    private final Function<String, String> transferState;

    /**
     * @param negotiationState this connector's negotiation state by id (null when unknown)
     * @param transferState    this connector's transfer state by id (null when unknown)
     */
    public EarlyPeerMessageFilter(Function<String, String> negotiationState, Function<String, String> transferState) {
        this.negotiationState = negotiationState;
        this.transferState = transferState;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if ("POST".equals(request.getMethod()) && isEarly(request.getUriInfo().getPath())) {
            request.abortWith(Response.status(503).header("Retry-After", "1").header(PeerMessageRetry.RETRY_HEADER, "early")
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("message", "this connector is still recording its previous message to you; send again in a moment")).build());
        }
    }

    /** Whether a peer's message to {@code path} (relative to the protocol API) arrived before we recorded our own. */
    boolean isEarly(String path) {
        var relative = path.startsWith("/") ? path.substring(1) : path;
        var negotiation = NEGOTIATION.matcher(relative);
        if (negotiation.matches()) {
            return NEGOTIATION_IN_FLIGHT.get(negotiation.group(2)).equals(negotiationState.apply(negotiation.group(1)));
        }
        var transfer = TRANSFER.matcher(relative);
        return transfer.matches() && TRANSFER_IN_FLIGHT.equals(transferState.apply(transfer.group(1)));
    }
}
