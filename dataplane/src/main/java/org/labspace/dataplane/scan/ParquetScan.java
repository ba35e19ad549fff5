package org.labspace.dataplane.scan;

import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * An open scan. The reader's batches are owned by the scan and valid until the next {@code loadNextBatch()};
 * closing the scan frees them and everything the scan holds (files, native memory).
 */
public interface ParquetScan extends AutoCloseable {

    ArrowReader reader();

    @Override
    void close();
}
