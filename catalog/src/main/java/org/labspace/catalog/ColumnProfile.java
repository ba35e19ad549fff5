package org.labspace.catalog;

/**
 * One column of a dataset as researchers see it.
 *
 * @param name      column name
 * @param arrowType the Arrow type it streams as, e.g. {@code Int(64, true)}, {@code Utf8},
 *                  {@code Timestamp(MICROSECOND, null)}
 * @param nullable  false when every file declares it required
 * @param nullCount nulls over all files, or null when a footer lacks the statistic
 * @param min       smallest value as text, or null when the footers lack it
 * @param max       largest value as text, or null when the footers lack it
 * @param partition true for a Hive-style partition column (its values come from folder names)
 */
public record ColumnProfile(String name, String arrowType, boolean nullable, Long nullCount, String min, String max, boolean partition) {
}
