package org.labspace.dataplane.scan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DuckDbParquetScannerTest extends ParquetScannerContract {

    @Test
    void spillsGoToTheGivenFolder_notTheWorkingDirectory(@TempDir Path dir) throws Exception {
        var spill = dir.resolve("it's spill");
        try (var scanner = new DuckDbParquetScanner(1, 128, 1_000, spill)) {
            assertThat(scanner.setting("temp_directory")).isEqualTo(spill.toAbsolutePath().toString());
        }
    }

    @Override
    protected ParquetScanner createScanner() {
        return new DuckDbParquetScanner(2, 256, 1_000);
    }
}
