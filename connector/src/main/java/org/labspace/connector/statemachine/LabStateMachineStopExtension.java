package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.ConsumerContractNegotiationManager;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.ProviderContractNegotiationManager;
import org.eclipse.edc.connector.controlplane.transfer.spi.TransferProcessManager;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;

/**
 * Releases idle state machine loops before EDC stops them. It depends on the managers, so it starts after them and
 * shuts down before them; otherwise a loop blocked in {@link IdleWait} would wake after its executor was shut down,
 * fail to reschedule and log an error on every clean stop.
 */
@Extension(LabStateMachineStopExtension.NAME)
public class LabStateMachineStopExtension implements ServiceExtension {

    public static final String NAME = "Labspace state machine stop";

    @Inject
    private IdleWait idleWait;
    @Inject
    private ConsumerContractNegotiationManager consumerNegotiations;
    @Inject
    private ProviderContractNegotiationManager providerNegotiations;
    @Inject
    private TransferProcessManager transfers;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void shutdown() {
        idleWait.stop();
    }
}
