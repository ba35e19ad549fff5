package org.labspace.connector.web;

import dev.failsafe.RetryPolicy;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Stops EDC's HTTP client (which every request to a peer goes through) from retrying a request that timed out
 * ({@link PeerRetries}).
 * <p>
 * The condition is added to the retry policy EDC registered, rather than a policy of our own provided in its place:
 * EDC's core services extension builds its client from the policy registered when it initializes, and a provided
 * replacement came too late (measured: it replaced EDC's default in the context after the client held the default).
 */
@Extension(LabPeerRequestExtension.NAME)
public class LabPeerRequestExtension implements ServiceExtension {

    public static final String NAME = "Labspace peer requests";

    @Inject
    private RetryPolicy<?> retryPolicy;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        PeerRetries.noRetryAfterTimeout(retryPolicy);
    }
}
