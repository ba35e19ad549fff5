package org.labspace.dataplane.scan;

import java.nio.file.Path;
import java.util.List;

/**
 * The files of one Parquet dataset, as registered: one file, or the files of a folder (Hive partition folders such
 * as {@code year=2024/} give columns when {@code hivePartitioned}).
 */
public record ParquetSource(List<Path> files, boolean hivePartitioned) {

    public ParquetSource {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a dataset has at least one file");
        }
    }
}
