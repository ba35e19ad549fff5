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
