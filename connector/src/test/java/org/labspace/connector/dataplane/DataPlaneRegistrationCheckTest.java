package org.labspace.connector.dataplane;

import org.eclipse.edc.connector.dataplane.selector.service.EmbeddedDataPlaneSelectorService;
import org.eclipse.edc.connector.dataplane.selector.spi.instance.DataPlaneInstance;
import org.eclipse.edc.connector.dataplane.selector.store.InMemoryDataPlaneInstanceStore;
import org.eclipse.edc.connector.dataplane.selector.strategy.DefaultSelectionStrategyRegistry;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Against EDC's own selector service and in-memory store: a record without the Arrow types is registered again. */
class DataPlaneRegistrationCheckTest {

    private final InMemoryDataPlaneInstanceStore store = new InMemoryDataPlaneInstanceStore(Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults());
    private final EmbeddedDataPlaneSelectorService selector = new EmbeddedDataPlaneSelectorService(store, new DefaultSelectionStrategyRegistry(),
            new NoopTransactionContext());
    private final DataPlaneRegistrationCheck check = new DataPlaneRegistrationCheck(selector, "lab-madrid", new Monitor() {
    });

    @Test
    void staleRecord_isRegisteredAgainWithTheArrowTypes_keepingItsOwn() {
        selector.register(instance(Set.of("HttpData"), Set.of("HttpData-PULL")));

        assertThat(check.check()).isTrue();

        var stored = selector.findById("lab-madrid").getContent();
        assertThat(stored.getAllowedTransferTypes()).contains("ArrowStream-PULL", "HttpData-PULL");
        assertThat(stored.getAllowedSourceTypes()).contains("LabspaceParquet", "HttpData");
        assertThat(check.check()).as("nothing to do the second time").isFalse();
    }

    @Test
    void completeOrMissingRecord_isLeftAlone() {
        assertThat(check.check()).as("not registered yet").isFalse();

        selector.register(instance(Set.of("LabspaceParquet"), Set.of("ArrowStream-PULL")));

        assertThat(check.check()).isFalse();
    }

    private static DataPlaneInstance instance(Set<String> sources, Set<String> transferTypes) {
        return DataPlaneInstance.Builder.newInstance().id("lab-madrid").url("http://127.0.0.1:19192/control/v1/dataflows")
                .allowedSourceTypes(sources).allowedTransferType(transferTypes).build();
    }
}
