package org.labspace.dataplane.client;

import org.labspace.dataplane.stream.Compression;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The query a client sends to {@code /v1/stream}: columns (null for all allowed), a filter in the filter language,
 * a row window, and IPC compression.
 */
public record StreamQuery(List<String> columns, String filter, Long limit, long offset, Compression compression) {

    public static final StreamQuery ALL = new StreamQuery(null, null, null, 0, Compression.NONE);

    public StreamQuery {
        columns = columns == null ? null : List.copyOf(columns);
        compression = compression == null ? Compression.NONE : compression;
    }

    public StreamQuery withColumns(List<String> value) {
        return new StreamQuery(value, filter, limit, offset, compression);
    }

    public StreamQuery withFilter(String value) {
        return new StreamQuery(columns, value, limit, offset, compression);
    }

    public StreamQuery withLimit(Long value) {
        return new StreamQuery(columns, filter, value, offset, compression);
    }

    public StreamQuery withOffset(long value) {
        return new StreamQuery(columns, filter, limit, value, compression);
    }

    public StreamQuery withCompression(Compression value) {
        return new StreamQuery(columns, filter, limit, offset, value);
    }

    /** The same query for the rows after the first {@code received}: how a broken stream resumes. */
    StreamQuery after(long received) {
        return new StreamQuery(columns, filter, limit == null ? null : Math.max(0, limit - received), offset + received, compression);
    }

    String toQueryString() {
        return toQueryString(true);
    }

    /** The query for {@code /v1/info}, which describes the rows and takes no compression. */
    String toInfoQueryString() {
        return toQueryString(false);
    }

    private String toQueryString(boolean withCompression) {
        var parts = new ArrayList<String>();
        if (columns != null) {
            parts.add("columns=" + encode(String.join(",", columns)));
        }
        if (filter != null && !filter.isBlank()) {
            parts.add("filter=" + encode(filter));
        }
        if (limit != null) {
            parts.add("limit=" + limit);
        }
        if (offset > 0) {
            parts.add("offset=" + offset);
        }
        if (withCompression && compression != Compression.NONE) {
            parts.add("compression=" + compression.name().toLowerCase());
        }
        return String.join("&", parts);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
