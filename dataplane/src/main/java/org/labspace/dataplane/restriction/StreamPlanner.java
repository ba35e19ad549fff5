package org.labspace.dataplane.restriction;

import org.labspace.dataplane.filter.RowFilter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Combines an agreement's restrictions with a consumer's request into a {@link ScanPlan}, refusing what the
 * agreement excludes rather than silently dropping it.
 */
public final class StreamPlanner {

    private StreamPlanner() {
    }

    /** @param datasetColumns the dataset's columns, in schema order */
    public static ScanPlan plan(List<String> datasetColumns, Restrictions restrictions, StreamRequest request) {
        var known = new HashSet<>(datasetColumns);
        var visible = new ArrayList<String>();
        for (var column : datasetColumns) {
            if (isVisible(column, restrictions)) {
                visible.add(column);
            }
        }
        if (restrictions.rowFilter() != null) {
            for (var column : restrictions.rowFilter().columns()) {
                if (!known.contains(column)) {
                    // fail closed: an agreement's filter that cannot be applied must not become "no filter"
                    throw new RestrictionException("the agreement's row filter reads column '" + column + "', which this dataset no longer has");
                }
            }
        }

        List<String> names;
        if (request.columns() == null) {
            if (visible.isEmpty()) {
                throw new RestrictionException("the agreement allows none of this dataset's columns");
            }
            names = visible;
        } else {
            if (request.columns().isEmpty()) {
                throw new StreamRequestException("columns is empty: name at least one column, or leave it out for every allowed column");
            }
            var seen = new HashSet<String>();
            for (var column : request.columns()) {
                check(column, known, visible);
                if (!seen.add(column)) {
                    throw new StreamRequestException("column '" + column + "' is asked for twice");
                }
            }
            names = request.columns();
        }

        if (request.filter() != null) {
            for (var column : request.filter().columns()) {
                check(column, known, visible);
                if (restrictions.maskedColumns().containsKey(column)) {
                    throw new RestrictionException("column '" + column + "' is masked by the agreement, so a filter cannot read it");
                }
            }
        }

        var columns = names.stream().map(n -> new ScanPlan.OutputColumn(n, restrictions.maskedColumns().get(n))).toList();
        var filter = RowFilter.both(restrictions.rowFilter(), request.filter());
        Long limit = request.limit();
        if (restrictions.maxRows() != null) {
            var remaining = Math.max(0, restrictions.maxRows() - request.offset());
            limit = limit == null ? remaining : Math.min(limit, remaining);
        }
        return new ScanPlan(columns, filter, request.offset(), limit);
    }

    private static boolean isVisible(String column, Restrictions restrictions) {
        return (restrictions.allowedColumns() == null || restrictions.allowedColumns().contains(column))
                && !restrictions.deniedColumns().contains(column);
    }

    private static void check(String column, HashSet<String> known, List<String> visible) {
        if (!known.contains(column)) {
            throw new StreamRequestException("the dataset has no column '" + column + "'; columns you may ask for: " + String.join(", ", visible));
        }
        if (!visible.contains(column)) {
            throw new RestrictionException("column '" + column + "' is not allowed by the agreement");
        }
    }
}
