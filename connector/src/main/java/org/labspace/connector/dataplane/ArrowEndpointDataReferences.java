package org.labspace.connector.dataplane;

import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.edr.EndpointDataReferenceService;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.labspace.catalog.Vocabulary;

/**
 * Endpoint data references for ArrowStream-PULL transfers of Labspace Parquet datasets: EDC's token service issues and
 * stores the token; revoking it also cuts the transfer's running streams.
 */
final class ArrowEndpointDataReferences implements EndpointDataReferenceService {

    static final String DESTINATION_TYPE = "ArrowStream";

    private final EndpointDataReferenceService tokens;
    private final ActiveStreams streams;

    ArrowEndpointDataReferences(EndpointDataReferenceService tokens, ActiveStreams streams) {
        this.tokens = tokens;
        this.streams = streams;
    }

    @Override
    public Result<DataAddress> createEndpointDataReference(DataFlow dataFlow) {
        var destination = dataFlow.getTransferType() == null ? null : dataFlow.getTransferType().destinationType();
        if (!DESTINATION_TYPE.equals(destination) || !Vocabulary.PARQUET_ADDRESS_TYPE.equals(dataFlow.getSource().getType())) {
            return Result.failure(Vocabulary.PARQUET_ADDRESS_TYPE + " datasets are served as " + DESTINATION_TYPE + "-PULL only, not as "
                    + dataFlow.getTransferType());
        }
        return tokens.createEndpointDataReference(dataFlow);
    }

    @Override
    public ServiceResult<Void> revokeEndpointDataReference(String flowId, String reason) {
        try {
            return tokens.revokeEndpointDataReference(flowId, reason);
        } finally {
            streams.cut(flowId, "the transfer was " + (reason == null || reason.isBlank() ? "ended" : "ended: " + reason));
        }
    }
}
