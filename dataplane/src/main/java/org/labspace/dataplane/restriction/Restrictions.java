package org.labspace.dataplane.restriction;

import org.labspace.dataplane.filter.RowFilter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an agreement lets leave the lab: which columns (allowed, denied), which are masked and how, a row filter
 * every stream must apply, and a cap on the rows one transfer may read. The consumer's own projection and filter
 * can only narrow these ({@link StreamPlanner}).
 *
 * @param allowedColumns null for every column the dataset has
 * @param maxRows        null for no cap
 */
public record Restrictions(Set<String> allowedColumns, Set<String> deniedColumns, Map<String, Mask> maskedColumns, RowFilter rowFilter,
                           Long maxRows) {

    public static final Restrictions NONE = new Restrictions(null, Set.of(), Map.of(), null, null);

    public enum Mask {
        /** A salted SHA-256 of the value's text, hex: joinable within one agreement, not readable. */
        HASH,
        /** Always null. */
        NULL
    }

    public Restrictions {
        allowedColumns = allowedColumns == null ? null : Set.copyOf(allowedColumns);
        deniedColumns = deniedColumns == null ? Set.of() : Set.copyOf(deniedColumns);
        maskedColumns = maskedColumns == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(maskedColumns));
        if (maxRows != null && maxRows < 0) {
            throw new IllegalArgumentException("maxRows must not be negative: " + maxRows);
        }
    }

    /** One plain line per restriction, for the stream's info and the audit log. */
    public List<String> describe() {
        var lines = new ArrayList<String>();
        if (allowedColumns != null) {
            lines.add("only columns " + String.join(", ", allowedColumns.stream().sorted().toList()));
        }
        if (!deniedColumns.isEmpty()) {
            lines.add("without columns " + String.join(", ", deniedColumns.stream().sorted().toList()));
        }
        maskedColumns.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> lines.add("column " + e.getKey() + (e.getValue() == Mask.HASH ? " hashed" : " nulled")));
        if (rowFilter != null) {
            lines.add("rows where " + rowFilter);
        }
        if (maxRows != null) {
            lines.add("at most " + maxRows + " rows per transfer");
        }
        return lines;
    }
}
