package org.labspace.connector.dataplane;

import org.labspace.dataplane.scan.ScanMemory;
import org.labspace.dataplane.stream.StreamCutException;
import org.labspace.dataplane.stream.StreamGuard;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The streams this data plane is sending, by transfer process. A transfer that ends or is suspended cuts its
 * streams at once ({@link #cut}); each stream also asks again every {@code recheck} whether it may still run, which
 * catches what no event reports. Also bounds how many streams run at a time, and the scanner memory they hold: a
 * stream over either bound waits its turn (in arrival order) for up to {@code maxWait}, then is refused with 503.
 */
final class ActiveStreams {

    private final Map<String, Set<RunningStream>> byTransfer = new ConcurrentHashMap<>();
    private final Semaphore slots;
    private final int maxStreams;
    private final long recheckNanos;
    private final ScanMemory memory;
    private final Duration maxWait;

    ActiveStreams(int maxStreams, Duration recheck, ScanMemory memory, Duration maxWait) {
        this.slots = new Semaphore(maxStreams, true);
        this.maxStreams = maxStreams;
        this.recheckNanos = recheck.toNanos();
        this.memory = memory;
        this.maxWait = maxWait;
    }

    /**
     * Registers a stream about to start.
     *
     * @param stillAllowed null while the stream may run, else the reason it may not
     * @param scanBytes    what its scan is expected to hold ({@link ScanMemory#estimate})
     * @throws StreamAccessException 503 when no slot or not enough memory came free within {@code maxWait}
     */
    RunningStream open(String transferProcessId, Supplier<String> stillAllowed, long scanBytes) {
        var deadline = System.nanoTime() + maxWait.toNanos();
        ScanMemory.Reservation reservation = null;
        var slotTaken = false;
        try {
            slotTaken = slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            if (!slotTaken) {
                throw new StreamAccessException(503, "this lab has been sending " + maxStreams + " streams (labspace.dataplane.max-streams) for the last "
                        + maxWait.toSeconds() + " s; retry shortly");
            }
            reservation = memory.reserve(scanBytes, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (reservation == null) {
                throw new StreamAccessException(503, "the streams running now hold the lab's scan memory (labspace.dataplane.memory-mb); this one needs about "
                        + Math.max(1, Math.min(scanBytes, memory.budget()) >> 20) + " MB and waited " + maxWait.toSeconds() + " s; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamAccessException(503, "the lab is stopping; retry shortly");
        } finally {
            if (reservation == null && slotTaken) {
                slots.release();
            }
        }
        var stream = new RunningStream(transferProcessId, stillAllowed, reservation);
        byTransfer.computeIfAbsent(transferProcessId, k -> ConcurrentHashMap.newKeySet()).add(stream);
        return stream;
    }

    /** Cuts every stream of a transfer; they stop before their next batch. */
    void cut(String transferProcessId, String reason) {
        var streams = byTransfer.get(transferProcessId);
        if (streams != null) {
            streams.forEach(s -> s.cut(reason));
        }
    }

    /** Scanner memory the open streams hold. */
    long scanMemoryHeld() {
        return memory.reserved();
    }

    final class RunningStream implements StreamGuard, AutoCloseable {
        private final String transferProcessId;
        private final Supplier<String> stillAllowed;
        private volatile String cutReason;
        private long checkedAt = System.nanoTime();
        private final ScanMemory.Reservation reservation;
        private boolean closed;

        private RunningStream(String transferProcessId, Supplier<String> stillAllowed, ScanMemory.Reservation reservation) {
            this.transferProcessId = transferProcessId;
            this.stillAllowed = stillAllowed;
            this.reservation = reservation;
        }

        /** The scanner memory this stream holds. */
        long scanMemory() {
            return reservation.bytes();
        }

        void cut(String reason) {
            cutReason = reason;
        }

        @Override
        public void check() {
            if (cutReason == null && System.nanoTime() - checkedAt > recheckNanos) {
                checkedAt = System.nanoTime();
                var refusal = stillAllowed.get();
                if (refusal != null) {
                    cutReason = refusal;
                }
            }
            if (cutReason != null) {
                throw new StreamCutException(cutReason);
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            var streams = byTransfer.get(transferProcessId);
            if (streams != null) {
                streams.remove(this);
                if (streams.isEmpty()) {
                    byTransfer.remove(transferProcessId, streams);
                }
            }
            reservation.close();
            slots.release();
        }
    }
}
