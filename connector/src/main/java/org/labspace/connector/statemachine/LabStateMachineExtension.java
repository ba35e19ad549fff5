package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.NegotiationWaitStrategy;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessEvent;
import org.eclipse.edc.connector.controlplane.transfer.spi.retry.TransferWaitStrategy;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationInitiated;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessInitiated;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.event.EventSubscriber;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Makes negotiations and transfers advance as soon as something happens instead of on the next poll, while an idle
 * connector polls its database about once a second. EDC's contract and transfer managers look the wait strategies
 * up during their own {@code initialize()}, so this extension must initialize first: it is listed first in the
 * merged service file and has no dependency that would move it later.
 */
@Extension(LabStateMachineExtension.NAME)
@Provides({NegotiationWaitStrategy.class, TransferWaitStrategy.class, IdleWait.class})
public class LabStateMachineExtension implements ServiceExtension {

    public static final String NAME = "Labspace state machines";

    @Setting(key = "labspace.state-machine.event-driven", defaultValue = "true",
            description = "false restores EDC's fixed polling (edc.*.state-machine.iteration-wait-millis); used as the benchmark baseline")
    private boolean eventDriven;
    @Setting(key = "labspace.state-machine.idle-millis", defaultValue = "1000",
            description = "Longest pause of an idle negotiation or transfer loop; any negotiation or transfer event wakes it at once")
    private long idleMillis;
    @Setting(key = "labspace.state-machine.settle-millis", defaultValue = "50",
            description = "Pause between a wake-up and the first look, so the peer can record our answer to its message first")
    private long settleMillis;
    @Setting(key = "labspace.state-machine.hot-poll-millis", defaultValue = "5",
            description = "Poll interval right after a wake-up")
    private long hotPollMillis;
    @Setting(key = "labspace.state-machine.hot-window-millis", defaultValue = "2000",
            description = "How long loops keep polling quickly after a wake-up")
    private long hotWindowMillis;

    @Inject
    private EventRouter eventRouter;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (!eventDriven) {
            context.getMonitor().info("Event-driven state machine waits are off: EDC polls at its configured iteration waits");
            // the stop extension still needs something to release: a wait nobody blocks on
            context.registerService(IdleWait.class, new IdleWait(idleMillis, settleMillis, hotPollMillis, hotWindowMillis));
            return;
        }
        var idleWait = new IdleWait(idleMillis, settleMillis, hotPollMillis, hotWindowMillis);
        var wakeUp = new EventSubscriber() {
            @Override
            public <E extends Event> void on(EventEnvelope<E> event) {
                // created here through the Management API: no peer message to settle behind
                // (a provider's transfer is "initiated" too, but by the consumer's request, which waits on our answer)
                if (event.getPayload() instanceof ContractNegotiationInitiated
                        || event.getPayload() instanceof TransferProcessInitiated initiated && "CONSUMER".equals(initiated.getType())) {
                    idleWait.wakeNow();
                } else {
                    idleWait.wake();
                }
            }
        };
        eventRouter.registerSync(ContractNegotiationEvent.class, wakeUp);
        eventRouter.registerSync(TransferProcessEvent.class, wakeUp);
        context.registerService(IdleWait.class, idleWait);
        var strategy = new EventDrivenWaitStrategy(idleWait);
        context.registerService(NegotiationWaitStrategy.class, strategy);
        context.registerService(TransferWaitStrategy.class, strategy);
    }
}
