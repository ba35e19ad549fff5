package org.labspace.connector.statemachine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class IdleWaitTest {

    @Test
    void idle_blocksUntilWoken_thenSettles_thenPollsHotForTheWindow() throws Exception {
        var wait = new IdleWait(10_000, 25, 5, 60_000);
        var entered = new CountDownLatch(1);
        var result = CompletableFuture.supplyAsync(() -> {
            entered.countDown();
            var first = wait.idle();       // blocks: nothing happened yet; then asks for the settle pause
            var second = wait.idle();      // hot: short poll, no blocking
            return new long[]{first, second};
        });
        entered.await();
        Thread.sleep(100);
        assertThat(result).isNotDone();

        wait.wake();

        var values = result.get(5, TimeUnit.SECONDS);
        assertThat(values[0]).isEqualTo(25);
        assertThat(values[1]).isEqualTo(5);
    }

    @Test
    void theHotPollSlowsAsTheWakeUpAges_andAnotherWakeUpMakesItQuickAgain() throws Exception {
        var wait = new IdleWait(10_000, 0, 5, 60_000);
        assertThat(wait.hotDelay(0)).isEqualTo(5);
        assertThat(wait.hotDelay(TimeUnit.MILLISECONDS.toNanos(300))).isEqualTo(30);
        assertThat(wait.hotDelay(TimeUnit.SECONDS.toNanos(5))).isEqualTo(100);

        var entered = new CountDownLatch(1);
        var result = CompletableFuture.supplyAsync(() -> {
            entered.countDown();
            wait.idle();                   // blocks until woken
            sleep(400);
            var aged = wait.idle();        // hot, 400 ms after the wake-up
            wait.wake();                   // something else happened
            var fresh = wait.idle();
            return new long[]{aged, fresh};
        });
        entered.await();
        Thread.sleep(100);
        wait.wake();
        var values = result.get(5, TimeUnit.SECONDS);
        assertThat(values[0]).isBetween(40L, 100L);
        assertThat(values[1]).isEqualTo(5);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWakeUpForTheLabsOwnNewProcess_looksAtOnce_unlessAPeersChangeCameToo() throws Exception {
        var wait = new IdleWait(10_000, 25, 5, 0);
        assertThat(wokenBy(wait, wait::wakeNow)).as("own creation: no settle").isZero();
        // (the loop may return after the first of two wake-ups: only this order has one answer)
        assertThat(wokenBy(wait, () -> {
            wait.wake();
            wait.wakeNow();
        })).as("a peer's change among them: settle").isEqualTo(25);
        assertThat(wokenBy(wait, wait::wake)).isEqualTo(25);
    }

    /** What a loop blocked in idle() is told after {@code wakeUps} (the hot window is 0, so every call blocks). */
    private static long wokenBy(IdleWait wait, Runnable wakeUps) throws Exception {
        var entered = new CountDownLatch(1);
        var result = CompletableFuture.supplyAsync(() -> {
            entered.countDown();
            return wait.idle();
        });
        entered.await();
        Thread.sleep(100);
        assertThat(result).isNotDone();
        wakeUps.run();
        return result.get(5, TimeUnit.SECONDS);
    }

    @Test
    void idle_withoutWakeUp_returnsAfterTheIdleMaximum() {
        var wait = new IdleWait(50, 0, 5, 1000);
        var started = System.nanoTime();
        assertThat(wait.idle()).isZero();
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(45);
    }

    @Test
    void stop_releasesBlockedLoops_andLaterCallsParkForTheIdleMaximum() throws Exception {
        var wait = new IdleWait(60_000, 0, 5, 1000);
        var entered = new CountDownLatch(1);
        var blocked = CompletableFuture.supplyAsync(() -> {
            entered.countDown();
            return wait.idle();
        });
        entered.await();
        Thread.sleep(50);

        wait.stop();

        assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo(60_000);
        assertThat(wait.idle()).isEqualTo(60_000);
    }

    @Test
    void wakeUps_reachEveryLoop() throws Exception {
        var wait = new IdleWait(30_000, 0, 5, 1000);
        var ready = new CountDownLatch(2);
        var a = CompletableFuture.supplyAsync(() -> { ready.countDown(); return wait.idle(); });
        var b = CompletableFuture.supplyAsync(() -> { ready.countDown(); return wait.idle(); });
        ready.await();
        Thread.sleep(50);
        wait.wake();
        assertThat(a.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(b.get(5, TimeUnit.SECONDS)).isZero();
    }
}
