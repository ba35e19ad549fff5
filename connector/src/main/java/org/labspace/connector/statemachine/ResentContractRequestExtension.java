package org.labspace.connector.statemachine;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Puts {@link ResentContractRequests} in front of EDC's contract negotiation protocol service. Providing the type
 * as well as injecting it orders this extension after EDC's provider and before the DSP APIs that inject it; EDC
 * logs that the service was replaced.
 */
@Extension(ResentContractRequestExtension.NAME)
@Provides(ContractNegotiationProtocolService.class)
public class ResentContractRequestExtension implements ServiceExtension {

    public static final String NAME = "Labspace re-sent contract requests";

    @Inject
    private ContractNegotiationProtocolService edcService;
    @Inject
    private ContractNegotiationStore negotiations;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        context.registerService(ContractNegotiationProtocolService.class,
                new ResentContractRequests(edcService, negotiations, context.getMonitor().withPrefix("negotiation")));
    }
}
