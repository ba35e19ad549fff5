package org.labspace.connector.dataset;

import org.eclipse.edc.connector.controlplane.catalog.spi.DataServiceRegistry;
import org.eclipse.edc.connector.controlplane.catalog.spi.DistributionResolver;
import org.eclipse.edc.connector.controlplane.transfer.spi.flow.DataFlowManager;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.system.ServiceExtension;

/**
 * Provides the catalog's distribution resolver. Kept apart from {@link LabDatasetExtension}, which uses the catalog
 * service that is built on this resolver: in one extension the two would depend on each other.
 */
@Extension(LabDistributionExtension.NAME)
public class LabDistributionExtension implements ServiceExtension {

    public static final String NAME = "Labspace distributions";

    @Inject
    private DataServiceRegistry dataServiceRegistry;
    @Inject
    private DataFlowManager dataFlowManager;

    @Override
    public String name() {
        return NAME;
    }

    /** Replaces EDC's default: one distribution per Labspace dataset, and no database query per asset. */
    @Provider
    public DistributionResolver distributionResolver() {
        return new LabDistributionResolver(dataServiceRegistry, dataFlowManager);
    }
}
