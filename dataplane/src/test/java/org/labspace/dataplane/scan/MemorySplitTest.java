package org.labspace.dataplane.scan;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemorySplitTest {

    @Test
    void theLabsDefault_givesDuckDbThreeQuarters_andScansThirtyPercentOfThat() {
        var split = MemorySplit.of(512);
        assertThat(split.duckDbMb()).isEqualTo(384);
        assertThat(split.arrowMb()).isEqualTo(128);
        assertThat(split.scanBudgetMb()).isEqualTo(115);
        assertThat(split.scanBudgetBytes()).isEqualTo(115L * 1024 * 1024);
        assertThat(split.arrowBytes()).isEqualTo(128L * 1024 * 1024);
    }

    @Test
    void thePartsAddUpToTheSetting_andScansNeverReserveMoreThanThirtyPercentOfDuckDbsLimit() {
        for (var memory : new int[]{MemorySplit.MINIMUM_MB, 129, 130, 131, 200, 512, 1000, 1024, 4096, 1_048_576}) {
            var split = MemorySplit.of(memory);
            assertThat(split.duckDbMb() + split.arrowMb()).as("%d MB", memory).isEqualTo(memory);
            assertThat(split.duckDbMb()).as("%d MB", memory).isGreaterThanOrEqualTo(3 * split.arrowMb() - 3).isGreaterThanOrEqualTo(64);
            assertThat(split.scanBudgetMb()).as("%d MB", memory).isPositive().isLessThanOrEqualTo(split.duckDbMb() * 3 / 10);
        }
    }

    @Test
    void theDefaultAdmitsTwoFullWidthScansOfTheLoadSuitesDataset_atOnce() throws Exception {
        // the load suite's dataset: 150 MB of snappy Parquet in 17 row groups, every column read
        var fullWidth = ScanMemory.estimate(150_000_000L, 17, 1.0);
        var memory = new ScanMemory(MemorySplit.of(512).scanBudgetBytes());
        var first = memory.reserve(fullWidth, java.time.Duration.ZERO);
        var second = memory.reserve(fullWidth, java.time.Duration.ZERO);
        assertThat(first).isNotNull();
        assertThat(second).as("two fit").isNotNull();
        assertThat(memory.reserve(fullWidth, java.time.Duration.ZERO)).as("a third waits").isNull();
    }

    @Test
    void aBatchMayTakeAThirdOfTheArrowPartPerStream() {
        assertThat(MemorySplit.of(512).batchBytes(8)).isEqualTo(128L * 1024 * 1024 / 24);
        assertThat(MemorySplit.of(512).batchBytes(1)).isEqualTo(128L * 1024 * 1024 / 3);
        assertThatThrownBy(() -> MemorySplit.of(512).batchBytes(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 0");
    }

    @Test
    void lessThanTheMinimumIsRefused_namingTheAmount() {
        assertThatThrownBy(() -> MemorySplit.of(127)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 128 MB, not 127");
    }
}
