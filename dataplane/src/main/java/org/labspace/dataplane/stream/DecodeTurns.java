package org.labspace.dataplane.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Turns at decoding the next batch, shared by every stream a data plane sends. Decoding Parquet is the CPU-heavy
 * part of a stream; with more decoders at once than cores they only get in each other's way. The load suite
 * measured 16 streams at about 0.8x the throughput of one on two cores with four decoding at once, and at 1.0x or
 * more with two (docs/reliability.md). Turns are handed out in arrival order, so every running stream moves on.
 */
public final class DecodeTurns {

    /**
     * How often a waiting stream asks whether it was stopped. A wait that times out queues again at the back, so this
     * is long beside one batch's decoding (tens of milliseconds) and short beside what a cut stream may linger.
     */
    private static final long POLL_MILLIS = 250;

    private final Semaphore turns;
    private final int concurrent;

    /** @param concurrent batches decoded at the same time, at most; usually the number of cores */
    public DecodeTurns(int concurrent) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("at least one batch must be decoded at a time, not " + concurrent);
        }
        this.concurrent = concurrent;
        this.turns = new Semaphore(concurrent, true);
    }

    /** As many decoders at once as there are streams: for tools and tests that send one stream. */
    public static DecodeTurns unlimited() {
        return new DecodeTurns(Integer.MAX_VALUE);
    }

    /** One batch load: false at the end of the data. */
    @FunctionalInterface
    public interface BatchLoad {
        boolean loadNext() throws IOException;
    }

    /**
     * Waits for a turn, then loads the next batch.
     *
     * @param stopped asked while waiting; when it says true, the wait ends without a load
     * @return whether a batch was loaded: false at the end of the data or when stopped
     */
    public boolean load(BatchLoad batch, BooleanSupplier stopped) throws IOException {
        try {
            while (!turns.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (stopped.getAsBoolean()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to decode the next batch");
        }
        try {
            return !stopped.getAsBoolean() && batch.loadNext();
        } finally {
            turns.release();
        }
    }

    /** Turns not taken right now. */
    public int free() {
        return turns.availablePermits();
    }

    public int concurrent() {
        return concurrent;
    }
}
