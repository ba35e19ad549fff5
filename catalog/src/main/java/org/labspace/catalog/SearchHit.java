package org.labspace.catalog;

import java.time.Instant;

/**
 * One search result.
 *
 * @param fetchedAt when the dataset's lab catalog was last read: how fresh this entry is
 */
public record SearchHit(DatasetSummary dataset, int score, Instant fetchedAt) {
}
