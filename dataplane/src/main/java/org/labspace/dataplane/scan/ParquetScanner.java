package org.labspace.dataplane.scan;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;
import org.labspace.dataplane.restriction.ScanPlan;

/**
 * Reads Parquet datasets into Arrow with the plan's projection, filter and row window pushed down. Every
 * implementation must pass {@code ParquetScannerContract}.
 */
public interface ParquetScanner extends AutoCloseable {

    /** The dataset's columns, partition columns included, in the order a full scan returns them. */
    Schema schema(ParquetSource source);

    /** The schema a plan's stream has (masked columns change type). */
    Schema schema(ParquetSource source, ScanPlan plan, String maskSalt);

    /** How many rows the plan yields. Reads the filter's columns when there is a filter. */
    long countRows(ParquetSource source, ScanPlan plan);

    /**
     * Opens a scan whose batches come from {@code allocator}; the caller closes it.
     *
     * @param maskSalt hex text mixed into hashed columns (see {@code Restrictions.Mask.HASH})
     */
    ParquetScan open(ParquetSource source, ScanPlan plan, BufferAllocator allocator, String maskSalt);

    @Override
    void close();
}
