package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;

/** Registers {@link EarlyPeerMessageFilter} on the Dataspace Protocol API. */
@Extension(EarlyPeerMessageExtension.NAME)
public class EarlyPeerMessageExtension implements ServiceExtension {

    public static final String NAME = "Labspace early peer messages";

    @Inject
    private WebService webService;
    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private TransferProcessStore transfers;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        webService.registerResource("protocol", new EarlyPeerMessageFilter(
                id -> {
                    var negotiation = negotiations.findById(id);
                    return negotiation == null ? null : ContractNegotiationStates.from(negotiation.getState()).name();
                },
                id -> {
                    var transfer = transfers.findById(id);
                    return transfer == null ? null : TransferProcessStates.from(transfer.getState()).name();
                }));
    }
}
