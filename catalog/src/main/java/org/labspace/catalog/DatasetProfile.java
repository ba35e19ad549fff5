package org.labspace.catalog;

import java.time.Instant;
import java.util.List;

/**
 * What registration learns from a Parquet dataset's footers, without reading its data.
 *
 * @param arrowSchemaJson the Arrow schema the dataset streams as, in Arrow's JSON form
 * @param fingerprint     SHA-256 over each file's relative path, size and footer: changes when the content does
 * @param modified        the newest file's modification time
 */
public record DatasetProfile(List<ColumnProfile> columns, String arrowSchemaJson, long rowCount, long byteSize, int rowGroups,
                             List<DataFile> files, String fingerprint, Instant modified) {

    public DatasetProfile {
        columns = List.copyOf(columns);
        files = List.copyOf(files);
    }

    public int fileCount() {
        return files.size();
    }

    public ColumnProfile column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
