package org.labspace.dataplane.stream;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecodeTurnsTest {

    @Test
    void atMostTheGivenNumberOfBatchesAreDecodedAtOnce_andEveryStreamGetsItsTurns() throws Exception {
        var turns = new DecodeTurns(2);
        var decoding = new AtomicInteger();
        var most = new AtomicInteger();
        var pool = Executors.newFixedThreadPool(8);
        try {
            var streams = new ArrayList<Future<Integer>>();
            for (var s = 0; s < 8; s++) {
                streams.add(pool.submit(() -> {
                    var batches = new AtomicInteger();
                    while (turns.load(() -> {
                        most.accumulateAndGet(decoding.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        } finally {
                            decoding.decrementAndGet();
                        }
                        return batches.incrementAndGet() <= 20;
                    }, () -> false)) {
                        // the batch would be written here
                    }
                    return batches.get() - 1;
                }));
            }
            for (var stream : streams) {
                assertThat(stream.get(60, TimeUnit.SECONDS)).isEqualTo(20);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(2);
        assertThat(turns.free()).isEqualTo(2);
    }

    @Test
    void aStoppedStream_leavesTheLineWithoutDecoding() throws Exception {
        var turns = new DecodeTurns(1);
        var holding = new CountDownLatch(1);
        var letGo = new CountDownLatch(1);
        var holder = new Thread(() -> {
            try {
                turns.load(() -> {
                    holding.countDown();
                    try {
                        letGo.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    return true;
                }, () -> false);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        holder.start();
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        var stopped = new AtomicBoolean();
        var decoded = new AtomicBoolean();
        var waiter = Executors.newSingleThreadExecutor().submit(() -> turns.load(() -> decoded.getAndSet(true), stopped::get));
        Thread.sleep(100);
        assertThat(waiter).isNotDone();
        stopped.set(true);
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(decoded).isFalse();
        letGo.countDown();
        holder.join(10_000);
        assertThat(turns.free()).isEqualTo(1);
    }

    @Test
    void aFailingDecode_givesItsTurnBack() {
        var turns = new DecodeTurns(1);
        assertThatThrownBy(() -> turns.load(() -> {
            throw new IOException("corrupt page");
        }, () -> false)).isInstanceOf(IOException.class).hasMessage("corrupt page");
        assertThat(turns.free()).isEqualTo(1);
    }

    @Test
    void refusesNoTurnsAtAll() {
        assertThatThrownBy(() -> new DecodeTurns(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }
}
