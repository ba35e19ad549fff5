package org.labspace.connector.dataplane;

import org.labspace.dataplane.stream.StreamCutException;
import org.labspace.dataplane.stream.StreamGuard;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The streams this data plane is sending, by transfer process. A transfer that ends or is suspended cuts its
 * streams at once ({@link #cut}); each stream also asks again every {@code recheck} whether it may still run, which
 * catches what no event reports. Also bounds how many streams run at a time.
 */
final class ActiveStreams {

    private final Map<String, Set<RunningStream>> byTransfer = new ConcurrentHashMap<>();
    private final Semaphore slots;
    private final int maxStreams;
    private final long recheckNanos;

    ActiveStreams(int maxStreams, Duration recheck) {
        this.slots = new Semaphore(maxStreams);
        this.maxStreams = maxStreams;
        this.recheckNanos = recheck.toNanos();
    }

    /**
     * Registers a stream about to start.
     *
     * @param stillAllowed null while the stream may run, else the reason it may not
     * @throws StreamAccessException 503 when {@code maxStreams} streams are running
     */
    RunningStream open(String transferProcessId, Supplier<String> stillAllowed) {
        if (!slots.tryAcquire()) {
            throw new StreamAccessException(503, "this lab is sending " + maxStreams + " streams already; retry shortly");
        }
        var stream = new RunningStream(transferProcessId, stillAllowed);
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

    final class RunningStream implements StreamGuard, AutoCloseable {
        private final String transferProcessId;
        private final Supplier<String> stillAllowed;
        private volatile String cutReason;
        private long checkedAt = System.nanoTime();
        private boolean closed;

        private RunningStream(String transferProcessId, Supplier<String> stillAllowed) {
            this.transferProcessId = transferProcessId;
            this.stillAllowed = stillAllowed;
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
            slots.release();
        }
    }
}
