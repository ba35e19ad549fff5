package org.labspace.dataplane.scan;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanMemoryTest {

    private static final Duration NO_WAIT = Duration.ZERO;

    @Test
    void reservesWhatFits_andRefusesWhatDoesNotOnceTheWaitIsOver() throws Exception {
        var memory = new ScanMemory(100);
        var first = memory.reserve(60, NO_WAIT);
        assertThat(first).isNotNull();
        assertThat(memory.reserved()).isEqualTo(60);
        var started = System.nanoTime();
        assertThat(memory.reserve(50, Duration.ofMillis(200))).as("60 + 50 > 100").isNull();
        assertThat(System.nanoTime() - started).as("waited its time").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
        assertThat(memory.waiting()).isZero();
        assertThat(memory.reserve(40, NO_WAIT)).isNotNull();
        assertThat(memory.reserved()).isEqualTo(100);
    }

    @Test
    void aWaitingScanStartsWhenAnotherGivesItsMemoryBack() throws Exception {
        var memory = new ScanMemory(100);
        var first = memory.reserve(80, NO_WAIT);
        var second = CompletableFuture.supplyAsync(() -> reserve(memory, 50, Duration.ofSeconds(30)));
        awaitWaiting(memory, 1);
        assertThat(second).isNotDone();
        first.close();
        first.close(); // twice gives back once
        assertThat(second.get(10, TimeUnit.SECONDS).bytes()).isEqualTo(50);
        assertThat(memory.reserved()).isEqualTo(50);
    }

    @Test
    void waitingScansAreServedInArrivalOrder_smallOnesDoNotOvertakeALargeOne() throws Exception {
        var memory = new ScanMemory(100);
        var running = memory.reserve(70, NO_WAIT);
        var large = CompletableFuture.supplyAsync(() -> reserve(memory, 90, Duration.ofSeconds(30)));
        awaitWaiting(memory, 1);
        // 20 would fit beside the 70, but the large scan came first
        var small = CompletableFuture.supplyAsync(() -> reserve(memory, 20, Duration.ofSeconds(30)));
        awaitWaiting(memory, 2);
        Thread.sleep(100);
        assertThat(small).isNotDone();
        running.close();
        var largeReservation = large.get(10, TimeUnit.SECONDS);
        assertThat(small).as("90 + 20 > 100").isNotDone();
        largeReservation.close();
        assertThat(small.get(10, TimeUnit.SECONDS).bytes()).isEqualTo(20);
    }

    @Test
    void aScanLargerThanTheBudgetRunsAlone() throws Exception {
        var memory = new ScanMemory(100);
        var huge = memory.reserve(1_000, NO_WAIT);
        assertThat(huge.bytes()).isEqualTo(100);
        assertThat(memory.reserve(1, NO_WAIT)).isNull();
        huge.close();
        assertThat(memory.reserved()).isZero();
    }

    @Test
    void anInterruptedWaitLeavesTheLine() throws Exception {
        var memory = new ScanMemory(100);
        var held = memory.reserve(100, NO_WAIT);
        var waiter = new Thread(() -> reserve(memory, 10, Duration.ofSeconds(30)));
        waiter.start();
        awaitWaiting(memory, 1);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(memory.waiting()).isZero();
        held.close();
        assertThat(memory.reserve(100, NO_WAIT)).as("nothing left behind by the interrupted wait").isNotNull();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new ScanMemory(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new ScanMemory(10).reserve(-1, NO_WAIT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void estimateGrowsWithTheRowGroupAndTheShareOfColumnsRead() {
        var mb = 1024L * 1024;
        var full = ScanMemory.estimate(150 * mb, 17, 1.0);
        var oneColumn = ScanMemory.estimate(150 * mb, 17, 1.0 / 11);
        var smallGroups = ScanMemory.estimate(150 * mb, 170, 1.0);
        // the measured case: 8.8 MB row groups, all columns, 48 MB held by the scan
        assertThat(full).isBetween(48 * mb, 64 * mb);
        assertThat(oneColumn).isLessThan(full / 5);
        assertThat(smallGroups).isLessThan(full / 5);
        assertThat(ScanMemory.estimate(0, 0, 1.0)).as("an empty dataset still costs the scan").isPositive();
    }

    private static ScanMemory.Reservation reserve(ScanMemory memory, long bytes, Duration wait) {
        try {
            return memory.reserve(bytes, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void awaitWaiting(ScanMemory memory, int count) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (memory.waiting() < count) {
            assertThat(System.nanoTime()).as("%d waiting", count).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
