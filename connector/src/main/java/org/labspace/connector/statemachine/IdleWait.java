package org.labspace.connector.statemachine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How long a state machine loop with nothing to do should pause: until something wakes it, or {@code maxIdleMillis}.
 * <p>
 * EDC's loops poll the database at a fixed interval: a long one makes every step of a negotiation wait for it
 * (about a second each with the default), a short one keeps an idle connector and its database busy. Here a loop
 * sleeps long while nothing happens and is woken when a negotiation or transfer changes. The wake-up can come
 * before the change is committed (events are published inside the transaction), so after a wake-up the loop keeps
 * polling quickly for {@code hotWindowMillis} instead of trusting one look.
 * <p>
 * Most wake-ups come from a peer's message this connector just stored, before the peer has read our answer to it.
 * Acting at once would send the peer its next message before it recorded that answer; EDC 0.15.1 then refuses the
 * message (409) and, in that refusal, writes back its stale copy of the negotiation, which makes the peer repeat a
 * step. So the first look after a wake-up waits {@code settleMillis}, long enough for the peer to read our answer.
 * A negotiation or transfer this lab just created itself (through its Management API) has no peer waiting on an
 * answer yet; its wake-up ({@link #wakeNow()}) skips the settle pause, unless a peer's change came in as well.
 * <p>
 * One instance serves several loops, each on its own thread; per-loop state lives in a thread-local.
 */
public final class IdleWait {

    private static final long HOT_POLL_CEILING_MILLIS = 100;

    private final long maxIdleMillis;
    private final long settleMillis;
    private final long hotPollMillis;
    private final long hotWindowMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition released = lock.newCondition();
    private int blocked;
    private long generation;
    private long settleGeneration; // the newest generation that asked for the settle pause
    private volatile boolean stopping;
    // {seen generation, hot until (nanos), last wake-up (nanos)}
    private final ThreadLocal<long[]> loopState = ThreadLocal.withInitial(() -> new long[]{-1, 0, 0});

    /**
     * @param maxIdleMillis   longest pause while nothing happens
     * @param settleMillis    pause between a wake-up and the first look (see the class comment)
     * @param hotPollMillis   pause between looks during the hot window
     * @param hotWindowMillis how long after a wake-up loops keep looking often
     */
    public IdleWait(long maxIdleMillis, long settleMillis, long hotPollMillis, long hotWindowMillis) {
        if (maxIdleMillis <= 0 || settleMillis < 0 || hotPollMillis <= 0 || hotWindowMillis < 0) {
            throw new IllegalArgumentException("waits must be positive");
        }
        this.maxIdleMillis = maxIdleMillis;
        this.settleMillis = settleMillis;
        this.hotPollMillis = hotPollMillis;
        this.hotWindowMillis = hotWindowMillis;
    }

    /** Something changed that a loop may have to act on. Cheap; safe from any thread. */
    public void wake() {
        wake(true);
    }

    /** This lab created a negotiation or transfer itself: no peer is waiting, so loops look at once. */
    public void wakeNow() {
        wake(false);
    }

    private void wake(boolean settle) {
        lock.lock();
        try {
            generation++;
            if (settle) {
                settleGeneration = generation;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The connector is shutting down: releases every blocked loop and returns once they have left, so each has
     * parked its next turn in its executor before EDC shuts that executor down (a loop released later would try
     * to schedule on a stopped executor and log an error).
     */
    public void stop() {
        stopping = true;
        lock.lock();
        try {
            generation++;
            changed.signalAll();
            var remaining = TimeUnit.SECONDS.toNanos(2);
            while (blocked > 0 && remaining > 0) {
                remaining = released.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        try {
            // the released loops still have to hand their next turn to the executor
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Called by a loop that found nothing to do. Either returns a short delay (while hot), or blocks until woken or
     * until the idle maximum passes and then returns 0.
     *
     * @return milliseconds the caller should still wait before its next look
     */
    public long idle() {
        if (stopping) {
            // park the loop in its executor's queue, where EDC's stop() finds it idle (as with EDC's own waits)
            return maxIdleMillis;
        }
        var state = loopState.get();
        var now = System.nanoTime();
        if (now - state[1] < 0) {
            lock.lock();
            try {
                if (generation != state[0]) { // woken again while hot: look often again
                    state[0] = generation;
                    state[2] = now;
                    state[1] = now + TimeUnit.MILLISECONDS.toNanos(hotWindowMillis);
                }
            } finally {
                lock.unlock();
            }
            return hotDelay(now - state[2]);
        }
        var settle = false;
        lock.lock();
        try {
            if (state[0] < 0) {
                state[0] = generation;
            }
            var remaining = TimeUnit.MILLISECONDS.toNanos(maxIdleMillis);
            blocked++;
            try {
                while (generation == state[0] && remaining > 0) {
                    remaining = changed.awaitNanos(remaining);
                }
            } finally {
                blocked--;
                released.signalAll();
            }
            if (generation != state[0]) {
                settle = settleGeneration > state[0];
                state[0] = generation;
                state[2] = System.nanoTime();
                state[1] = state[2] + TimeUnit.MILLISECONDS.toNanos(hotWindowMillis);
            }
        } catch (InterruptedException e) {
            // the loop is being stopped: let it go round and notice
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (stopping) {
            return maxIdleMillis;
        }
        return settle ? settleMillis : 0;
    }

    /**
     * The pause between looks in the hot window: {@code hotPollMillis} right after the wake-up, then a tenth of the time
     * since it, up to 100 ms. A peer's answer usually comes within a few hundred milliseconds; polling every few
     * milliseconds for the whole window cost a core on a two-core machine, which slowed the streams running beside.
     */
    long hotDelay(long nanosSinceWake) {
        return Math.max(hotPollMillis, Math.min(HOT_POLL_CEILING_MILLIS, TimeUnit.NANOSECONDS.toMillis(nanosSinceWake) / 10));
    }

    public long maxIdleMillis() {
        return maxIdleMillis;
    }
}
