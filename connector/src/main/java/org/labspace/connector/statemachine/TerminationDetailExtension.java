package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessObservable;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/** Registers {@link TerminationDetail}; separate from {@link LabStateMachineExtension}, which must initialize first. */
@Extension(TerminationDetailExtension.NAME)
public class TerminationDetailExtension implements ServiceExtension {

    public static final String NAME = "Labspace transfer termination detail";

    @Inject
    private TransferProcessObservable transfers;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        transfers.registerListener(new TerminationDetail());
    }
}
