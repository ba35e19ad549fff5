package org.labspace.dataplane.scan;

/**
 * How the data plane's memory ({@code labspace.dataplane.memory-mb}) is shared out: DuckDB's limit for reading
 * Parquet, the Arrow allocator for batches on their way out, and the part of DuckDB's limit that open scans may
 * reserve ({@link ScanMemory}).
 *
 * <p>Reading needs the most: a full-width scan held 30 to 48 MB in DuckDB, while a stream holds at most three Arrow
 * batches, which the scanner keeps under {@link #batchBytes} each (about 6 MB for 64,000 rows of the load suite's
 * 93 bytes). So DuckDB gets three quarters.
 *
 * <p>Scans may reserve only 30% of DuckDB's limit. Measured with 1 to 8 scans under limits of 256 MB to 2 GB: when
 * the scans held more than about 40% of the limit, DuckDB gave pages back to the system and faulted them in again,
 * 140 to 220 page faults per MB read against 30 to 90 at 30% or less, and 16 streams cost the provider 25 to 45% more
 * CPU per byte than one. The rest of the limit is DuckDB's room to reuse memory; it also serves {@code /v1/info}'s
 * schema and count queries.
 *
 * @param duckDbMb      DuckDB's memory limit
 * @param arrowMb       the Arrow allocator's limit
 * @param scanBudgetMb  what open scans may reserve together, out of DuckDB's limit
 */
public record MemorySplit(int duckDbMb, int arrowMb, int scanBudgetMb) {

    /** The smallest memory the data plane runs with (DuckDB needs some 64 MB to read at all). */
    public static final int MINIMUM_MB = 128;

    public static MemorySplit of(int memoryMb) {
        if (memoryMb < MINIMUM_MB) {
            throw new IllegalArgumentException("the data plane needs at least " + MINIMUM_MB + " MB, not " + memoryMb);
        }
        var duckDb = memoryMb * 3 / 4;
        return new MemorySplit(duckDb, memoryMb - duckDb, duckDb * 3 / 10);
    }

    public long scanBudgetBytes() {
        return scanBudgetMb * 1024L * 1024;
    }

    public long arrowBytes() {
        return arrowMb * 1024L * 1024;
    }

    /**
     * The most one Arrow batch may take so that {@code maxStreams} streams, each holding up to three batches (one
     * being decoded, one handed over, one being written), fit the Arrow allocator's part.
     */
    public long batchBytes(int maxStreams) {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("at least one stream, not " + maxStreams);
        }
        return arrowBytes() / (3L * maxStreams);
    }
}
