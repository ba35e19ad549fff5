package org.labspace.connector.dataset;

import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.catalog.spi.DataService;
import org.eclipse.edc.connector.controlplane.catalog.spi.DataServiceRegistry;
import org.eclipse.edc.connector.controlplane.catalog.spi.Distribution;
import org.eclipse.edc.connector.controlplane.catalog.spi.DistributionResolver;
import org.eclipse.edc.connector.controlplane.transfer.spi.flow.DataFlowManager;
import org.labspace.catalog.Vocabulary;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distributions a catalog shows for each dataset. A Labspace dataset is offered for one transfer type,
 * {@value Vocabulary#ARROW_PULL}, whatever else the data planes can do. Other assets get EDC's answer, remembered for a few
 * seconds per data address type: EDC's own resolver asks the database for all data planes once per asset, which
 * made a catalog of thousands of datasets cost thousands of queries.
 */
class LabDistributionResolver implements DistributionResolver {

    private static final long CACHE_NANOS = 5_000_000_000L;

    private record Cached(List<String> transferTypes, long at) {
    }

    private final DataServiceRegistry dataServices;
    private final DataFlowManager dataFlows;
    private final Map<String, Cached> transferTypes = new ConcurrentHashMap<>();
    private final Map<String, DataService> stableServices = new ConcurrentHashMap<>();

    LabDistributionResolver(DataServiceRegistry dataServices, DataFlowManager dataFlows) {
        this.dataServices = dataServices;
        this.dataFlows = dataFlows;
    }

    @Override
    public List<Distribution> getDistributions(String protocol, Asset asset) {
        var address = asset.getDataAddress();
        if (address != null && Vocabulary.PARQUET_ADDRESS_TYPE.equals(address.getType())) {
            return List.of(distribution(asset.getParticipantContextId(), protocol, Vocabulary.ARROW_PULL));
        }
        if (asset.isCatalog() || address == null) {
            return List.of();
        }
        var responseChannel = address.getResponseChannel();
        var key = address.getType() + "|" + (responseChannel == null ? "" : responseChannel.getType());
        var now = System.nanoTime();
        var cached = transferTypes.get(key);
        if (cached == null || now - cached.at() > CACHE_NANOS) {
            cached = new Cached(List.copyOf(dataFlows.transferTypesFor(asset)), now);
            transferTypes.put(key, cached);
        }
        return cached.transferTypes().stream().map(type -> distribution(asset.getParticipantContextId(), protocol, type)).toList();
    }

    private Distribution distribution(String participantContextId, String protocol, String format) {
        var builder = Distribution.Builder.newInstance().format(format);
        dataServices.getDataServices(participantContextId, protocol).forEach(service -> builder.dataService(stable(service)));
        return builder.build();
    }

    /**
     * EDC builds the DSP data service with a fresh random id for every dataset of every reply; the same endpoint gets
     * the same id here, so a dataset's description only changes when the dataset does (and its compacted form can be
     * cached, see {@link CatalogReplyCompaction}).
     */
    private DataService stable(DataService service) {
        var name = service.getEndpointDescription() + "|" + service.getEndpointUrl();
        return stableServices.computeIfAbsent(name, n -> DataService.Builder.newInstance()
                .id("urn:uuid:" + UUID.nameUUIDFromBytes(n.getBytes(StandardCharsets.UTF_8)))
                .endpointDescription(service.getEndpointDescription())
                .endpointUrl(service.getEndpointUrl())
                .build());
    }
}
