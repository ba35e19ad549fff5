package org.labspace.dataplane.restriction;

import org.labspace.dataplane.filter.RowFilter;

import java.util.List;

/**
 * A scan that honours an agreement and a request: the columns to send (each perhaps masked), the filter to apply
 * (the agreement's AND the consumer's), and the window of rows.
 *
 * @param limit null for no limit
 */
public record ScanPlan(List<OutputColumn> columns, RowFilter filter, long offset, Long limit) {

    public ScanPlan {
        columns = List.copyOf(columns);
    }

    /** @param mask null when the column is sent as it is */
    public record OutputColumn(String name, Restrictions.Mask mask) {
    }

    public List<String> names() {
        return columns.stream().map(OutputColumn::name).toList();
    }
}
