package org.labspace.connector.dataplane;

import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSource;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSourceFactory;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;
import org.jetbrains.annotations.NotNull;
import org.labspace.catalog.Vocabulary;

/**
 * Makes the data plane advertise Labspace Parquet as a source type, which EDC needs to pick it for a transfer. Pull
 * transfers never call it; a push transfer (which a consumer could ask for) is refused, because Labspace datasets
 * leave only through the stream endpoint, under their agreement's restrictions.
 */
final class ParquetSourceAdvertiser implements DataSourceFactory {

    @Override
    public String supportedType() {
        return Vocabulary.PARQUET_ADDRESS_TYPE;
    }

    @Override
    public DataSource createSource(DataFlowStartMessage request) {
        throw new IllegalStateException(refusal(request));
    }

    @Override
    public @NotNull Result<Void> validateRequest(DataFlowStartMessage request) {
        return Result.failure(refusal(request));
    }

    private static String refusal(DataFlowStartMessage request) {
        return Vocabulary.PARQUET_ADDRESS_TYPE + " datasets are served as " + ArrowEndpointDataReferences.DESTINATION_TYPE
                + "-PULL only, not pushed (" + request.getTransferType() + ")";
    }
}
