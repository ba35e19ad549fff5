package org.labspace.dataplane.scan;

class DuckDbParquetScannerTest extends ParquetScannerContract {

    @Override
    protected ParquetScanner createScanner() {
        return new DuckDbParquetScanner(2, 256, 1_000);
    }
}
