package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.NegotiationWaitStrategy;
import org.eclipse.edc.connector.controlplane.transfer.spi.retry.TransferWaitStrategy;

/** EDC's wait strategy SPI on {@link IdleWait}, for the negotiation and transfer state machines. */
public final class EventDrivenWaitStrategy implements NegotiationWaitStrategy, TransferWaitStrategy {

    private final IdleWait idleWait;

    public EventDrivenWaitStrategy(IdleWait idleWait) {
        this.idleWait = idleWait;
    }

    @Override
    public long waitForMillis() {
        return idleWait.idle();
    }

    // retries of a failed step must not block the loop: wait a plain interval instead
    @Override
    public long retryInMillis() {
        return idleWait.maxIdleMillis();
    }
}
