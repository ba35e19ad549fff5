package org.labspace.dataplane.scan;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scanner's working memory, shared out to scans before they open. DuckDB has one memory limit for all scans; a
 * scan that opens when the others hold it all fails with out-of-memory, at its start or in the middle of its stream.
 * Reserving a scan's expected share first turns that failure into a wait, and a wait that lasts too long into a
 * refusal the consumer can retry.
 *
 * <p>Waiting scans are served in arrival order: a large scan at the head is not overtaken by small ones behind it,
 * so it cannot starve. A scan larger than the whole budget is given the whole budget: it runs alone rather than never.
 */
public final class ScanMemory {

    static final long BASE_BYTES = 4L * 1024 * 1024;
    static final double ROW_GROUP_FACTOR = 6.0;

    private final long budget;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> line = new ArrayDeque<>();
    private long reserved;

    /** @param budgetBytes memory all scans may hold together */
    public ScanMemory(long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("the scan memory budget must be positive, not " + budgetBytes);
        }
        this.budget = budgetBytes;
    }

    /**
     * Waits, in arrival order, until {@code bytes} are free, at most {@code maxWait}.
     *
     * @return the reservation (close it when the scan is closed), or null when the memory was not free in time
     */
    public Reservation reserve(long bytes, Duration maxWait) throws InterruptedException {
        if (bytes < 0) {
            throw new IllegalArgumentException("a scan cannot reserve " + bytes + " bytes");
        }
        var share = Math.min(bytes, budget);
        var ticket = new Object();
        var deadline = System.nanoTime() + maxWait.toNanos();
        lock.lock();
        try {
            line.addLast(ticket);
            try {
                while (line.peekFirst() != ticket || reserved + share > budget) {
                    var left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    changed.awaitNanos(left);
                }
                reserved += share;
                return new Reservation(share);
            } finally {
                line.remove(ticket);
                // the next in line may fit now, or may have become the head
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bytes reserved by open scans. */
    public long reserved() {
        lock.lock();
        try {
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    /** Scans waiting for memory. */
    public int waiting() {
        lock.lock();
        try {
            return line.size();
        } finally {
            lock.unlock();
        }
    }

    public long budget() {
        return budget;
    }

    private void release(long bytes) {
        lock.lock();
        try {
            reserved -= bytes;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A scan's share of the memory; closing it gives the share back, once. */
    public final class Reservation implements AutoCloseable {
        private final long bytes;
        private boolean closed;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(bytes);
            }
        }
    }

    /**
     * What one scan is expected to hold in DuckDB, from the dataset's footprint on disk. DuckDB reads a row group's
     * column chunks whole; measured on DuckDB 2.0 (docs/reliability.md), one scan of 8.8 MB row groups held 48 MB with
     * all columns and 3 MB with one of eleven, so about six times the compressed row group of the columns read, plus
     * a little for the scan itself.
     *
     * @param bytesOnDisk the dataset's Parquet bytes
     * @param rowGroups   its row groups
     * @param columnShare the share of its columns the scan reads, 0 to 1
     */
    public static long estimate(long bytesOnDisk, int rowGroups, double columnShare) {
        var rowGroup = rowGroups <= 0 ? bytesOnDisk : bytesOnDisk / rowGroups;
        var share = Math.max(0.0, Math.min(1.0, columnShare));
        return BASE_BYTES + (long) (ROW_GROUP_FACTOR * rowGroup * share);
    }
}
