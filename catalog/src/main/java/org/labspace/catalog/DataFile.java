package org.labspace.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * One Parquet file of a dataset.
 *
 * @param path       relative to the dataset's root ("" parent for a single-file dataset)
 * @param bytes      size on disk
 * @param rows       rows in the file, from its footer
 * @param rowGroups  row groups in the file
 * @param modified   last modification time
 * @param partitions Hive-style partition values from the folders above it, e.g. {@code year=2024}
 */
public record DataFile(String path, long bytes, long rows, int rowGroups, Instant modified, Map<String, String> partitions) {

    public DataFile {
        partitions = Map.copyOf(partitions);
    }
}
