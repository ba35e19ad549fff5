package org.labspace.dataplane.scan;

/**
 * The whole contract again with a batch cap so small that every scan is probed and cut to the fewest rows per batch:
 * the probe must not change what a scan returns (masks, filters, offsets, limits across many batches).
 */
class CappedBatchDuckDbParquetScannerTest extends ParquetScannerContract {

    @Override
    protected ParquetScanner createScanner() {
        return new DuckDbParquetScanner(1, 256, 1_000, 2_000, null);
    }
}
