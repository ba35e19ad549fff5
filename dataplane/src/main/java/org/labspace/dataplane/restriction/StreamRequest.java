package org.labspace.dataplane.restriction;

import org.labspace.dataplane.filter.RowFilter;

import java.util.List;

/**
 * What a consumer asks of a stream.
 *
 * @param columns null for every column the agreement allows
 * @param filter  null for no filter
 * @param limit   null for no limit
 * @param offset  rows of the (filtered) dataset to skip, to resume a stream
 */
public record StreamRequest(List<String> columns, RowFilter filter, Long limit, long offset) {

    public static final StreamRequest ALL = new StreamRequest(null, null, null, 0);

    public StreamRequest {
        columns = columns == null ? null : List.copyOf(columns);
        if (limit != null && limit < 0) {
            throw new StreamRequestException("limit must not be negative: " + limit);
        }
        if (offset < 0) {
            throw new StreamRequestException("offset must not be negative: " + offset);
        }
    }
}
