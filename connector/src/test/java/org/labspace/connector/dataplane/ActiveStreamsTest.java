package org.labspace.connector.dataplane;

import org.junit.jupiter.api.Test;
import org.labspace.dataplane.scan.ScanMemory;
import org.labspace.dataplane.stream.StreamCutException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActiveStreamsTest {

    private static final Duration RECHECK = Duration.ofHours(1);

    @Test
    void aStreamOverMaxStreams_waitsForOneToEnd() throws Exception {
        var streams = new ActiveStreams(1, RECHECK, new ScanMemory(1_000), Duration.ofSeconds(30));
        var first = streams.open("t1", () -> null, 10);
        var second = CompletableFuture.supplyAsync(() -> streams.open("t2", () -> null, 10));
        Thread.sleep(200);
        assertThat(second).as("waiting for the only slot").isNotDone();
        first.close();
        assertThat(second.get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void aStreamThatFindsNoMemory_waitsForAnotherToGiveItBack() throws Exception {
        var streams = new ActiveStreams(8, RECHECK, new ScanMemory(100), Duration.ofSeconds(30));
        var big = streams.open("t1", () -> null, 80);
        assertThat(streams.scanMemoryHeld()).isEqualTo(80);
        var second = CompletableFuture.supplyAsync(() -> streams.open("t2", () -> null, 50));
        Thread.sleep(200);
        assertThat(second).as("80 + 50 > 100").isNotDone();
        big.close();
        assertThat(second.get(10, TimeUnit.SECONDS).scanMemory()).isEqualTo(50);
        assertThat(streams.scanMemoryHeld()).isEqualTo(50);
    }

    @Test
    void afterTheWait_a503SaysWhatWasShort_andGivesBackTheSlot() {
        var streams = new ActiveStreams(2, RECHECK, new ScanMemory(100 * 1024 * 1024), Duration.ofMillis(200));
        streams.open("t1", () -> null, 90 * 1024 * 1024);
        assertThatThrownBy(() -> streams.open("t2", () -> null, 20 * 1024 * 1024))
                .isInstanceOfSatisfying(StreamAccessException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("scan memory").hasMessageContaining("20 MB").hasMessageContaining("retry");
        // the refused stream's slot is free again: a small one gets it
        assertThat(streams.open("t3", () -> null, 1024)).isNotNull();
        assertThatThrownBy(() -> streams.open("t4", () -> null, 1024))
                .isInstanceOfSatisfying(StreamAccessException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("2 streams").hasMessageContaining("max-streams");
    }

    @Test
    void cuttingATransfer_stopsItsStreams_andClosingTwiceFreesOnce() {
        var streams = new ActiveStreams(1, RECHECK, new ScanMemory(100), Duration.ZERO);
        var stream = streams.open("t1", () -> null, 60);
        streams.cut("t1", "the transfer was suspended");
        assertThatThrownBy(stream::check).isInstanceOf(StreamCutException.class).hasMessageContaining("suspended");
        stream.close();
        stream.close();
        assertThat(streams.scanMemoryHeld()).isZero();
        var next = streams.open("t2", () -> null, 100);
        assertThatThrownBy(() -> streams.open("t3", () -> null, 1)).isInstanceOf(StreamAccessException.class);
        next.close();
    }
}
