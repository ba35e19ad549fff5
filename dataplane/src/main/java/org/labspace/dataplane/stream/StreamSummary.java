package org.labspace.dataplane.stream;

/** What one stream sent. */
public record StreamSummary(long rows, long batches, long bytes) {
}
