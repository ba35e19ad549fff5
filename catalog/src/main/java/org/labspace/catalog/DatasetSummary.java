package org.labspace.catalog;

import java.util.List;

/**
 * A dataset as another lab's catalog offers it: what a researcher needs to pick one, searchable.
 *
 * @param lab          participant id of the lab holding it
 * @param offerIds     the DSP offer ids (one per offered policy)
 * @param usagePolicy  the usage policy's name, when the lab publishes it
 */
public record DatasetSummary(String lab, String id, String title, String description, List<String> keywords, String license,
                             Long rowCount, Long byteSize, Integer fileCount, String version, String modified,
                             List<Column> columns, List<String> offerIds, String accessPolicy, String usagePolicy) {

    public DatasetSummary {
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
        columns = columns == null ? List.of() : List.copyOf(columns);
        offerIds = offerIds == null ? List.of() : List.copyOf(offerIds);
    }

    /** A column name and its Arrow type. */
    public record Column(String name, String type) {
    }
}
