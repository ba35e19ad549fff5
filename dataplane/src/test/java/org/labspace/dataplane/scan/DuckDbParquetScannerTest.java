package org.labspace.dataplane.scan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DuckDbParquetScannerTest extends ParquetScannerContract {

    @Test
    void spillsGoToTheGivenFolder_notTheWorkingDirectory(@TempDir Path dir) throws Exception {
        var spill = dir.resolve("it's spill");
        try (var scanner = new DuckDbParquetScanner(1, 128, 1_000, spill)) {
            assertThat(scanner.setting("temp_directory")).isEqualTo(spill.toAbsolutePath().toString());
        }
    }

    /**
     * DuckDB has one memory limit for all scans. Eight scans of 9 MB row groups at once overrun a 160 MB limit; with
     * each reserving {@link ScanMemory#estimate} first (as the data plane does), they take turns and all finish.
     */
    @Test
    void scansThatReserveTheirEstimate_stayWithinDuckDbsLimit_whereUnreservedOnesRunOutOfMemory(@TempDir Path dir) throws Exception {
        var file = wideFile(dir);
        var rows = WIDE_ROWS;
        var rowGroups = rowGroups(file);
        var source = new ParquetSource(java.util.List.of(file), false);
        var columns = WIDE_COLUMNS.stream()
                .map(c -> new org.labspace.dataplane.restriction.ScanPlan.OutputColumn(c, null)).toList();
        var plan = new org.labspace.dataplane.restriction.ScanPlan(columns, null, 0, null);
        var limitMb = 160;

        try (var scanner = new DuckDbParquetScanner(1, limitMb, DEFAULT_BATCH, dir.resolve("spill"));
             var allocator = new org.apache.arrow.memory.RootAllocator()) {
            var open = new java.util.ArrayList<ParquetScan>();
            try {
                assertThatThrownBy(() -> {
                    for (var i = 0; i < 8; i++) {
                        var scan = scanner.open(source, plan, allocator, "00");
                        open.add(scan);
                        scan.reader().loadNextBatch();
                    }
                }).as("without reservations (if DuckDB now needs less, recalibrate ScanMemory.estimate)").isInstanceOf(ScanException.class);
            } finally {
                open.forEach(ParquetScan::close);
            }
        }

        try (var scanner = new DuckDbParquetScanner(1, limitMb, DEFAULT_BATCH, dir.resolve("spill"));
             var allocator = new org.apache.arrow.memory.RootAllocator()) {
            var memory = new ScanMemory(limitMb * 1024L * 1024 * 9 / 10);
            var estimate = ScanMemory.estimate(java.nio.file.Files.size(file), (int) rowGroups, 1.0);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                var reads = new java.util.ArrayList<java.util.concurrent.Future<Long>>();
                for (var i = 0; i < 8; i++) {
                    reads.add(pool.submit(() -> {
                        try (var reservation = memory.reserve(estimate, java.time.Duration.ofSeconds(120));
                             var child = allocator.newChildAllocator("scan", 0, Long.MAX_VALUE);
                             var scan = scanner.open(source, plan, child, "00")) {
                            assertThat(reservation).isNotNull();
                            long read = 0;
                            while (scan.reader().loadNextBatch()) {
                                read += scan.reader().getVectorSchemaRoot().getRowCount();
                            }
                            return read;
                        }
                    }));
                }
                for (var read : reads) {
                    assertThat(read.get(180, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(rows);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(memory.reserved()).isZero();
        }
    }

    private static final int DEFAULT_BATCH = DuckDbParquetScanner.DEFAULT_BATCH_ROWS;

    private static final int WIDE_ROWS = 300_000;
    private static final java.util.List<String> WIDE_COLUMNS = java.util.List.of("id", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "label", "ts");

    /** 300,000 rows of eleven columns in DuckDB's default row groups (122,880 rows, about 9 MB of snappy Parquet). */
    private static Path wideFile(Path dir) throws Exception {
        var file = dir.resolve("wide.parquet");
        try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            var features = new StringBuilder();
            for (var f = 0; f < 8; f++) {
                features.append(", (hash(i * 8 + ").append(f).append(") % 1000000) / 1000000.0 AS f").append(f);
            }
            statement.execute("COPY (SELECT i::BIGINT AS id" + features + ", 'label-' || (hash(i) % 100) AS label, TIMESTAMP '2024-01-01' + to_seconds(i) AS ts"
                    + " FROM range(" + WIDE_ROWS + ") t(i)) TO '" + file + "' (FORMAT parquet, COMPRESSION snappy)");
        }
        return file;
    }

    private static long rowGroups(Path file) throws Exception {
        try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement();
             var result = statement.executeQuery("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + file + "')")) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * DuckDB gathers a LIMIT's rows in memory before the first leaves (70 MB for 500,000 of these rows); the scanner
     * applies the limit to the streamed batches instead, so a limited scan holds no more than a whole one.
     */
    @Test
    void aLimitedScan_streamsWithinTheMemoryOfAWholeOne(@TempDir Path dir) throws Exception {
        var file = wideFile(dir);
        var columns = WIDE_COLUMNS.stream().map(c -> new org.labspace.dataplane.restriction.ScanPlan.OutputColumn(c, null)).toList();
        var limit = 250_001L;
        var source = new ParquetSource(java.util.List.of(file), false);
        try (var scanner = new DuckDbParquetScanner(1, 256, DEFAULT_BATCH, dir.resolve("spill"));
             var allocator = new org.apache.arrow.memory.RootAllocator()) {
            long whole;
            try (var scan = scanner.open(source, new org.labspace.dataplane.restriction.ScanPlan(columns, null, 10, null), allocator, "00")) {
                scan.reader().loadNextBatch();
                whole = scanner.bytesHeld();
            }
            try (var scan = scanner.open(source, new org.labspace.dataplane.restriction.ScanPlan(columns, null, 10, limit), allocator, "00")) {
                assertThat(scan.reader().loadNextBatch()).isTrue();
                assertThat(scanner.bytesHeld()).as("held by the limited scan against %d by the whole one", whole).isLessThan(whole + 8 * 1024 * 1024);
                var root = scan.reader().getVectorSchemaRoot();
                long read = root.getRowCount();
                var firstId = ((org.apache.arrow.vector.BigIntVector) root.getVector("id")).get(0);
                long lastId = -1;
                while (scan.reader().loadNextBatch()) {
                    root = scan.reader().getVectorSchemaRoot();
                    lastId = ((org.apache.arrow.vector.BigIntVector) root.getVector("id")).get(root.getRowCount() - 1);
                    read += root.getRowCount();
                }
                assertThat(read).isEqualTo(limit);
                assertThat(firstId).as("offset 10").isEqualTo(10);
                assertThat(lastId).isEqualTo(10 + limit - 1);
                assertThat(scan.reader().loadNextBatch()).as("nothing after the limit").isFalse();
            }
        }
    }

    /**
     * 121 double columns: 4,000 rows are 3.9 MB, and a stream holds three batches on the Arrow side (one decoded, one
     * handed over, one written), more than the 8 MB given here. With the cap at a third of that, the scanner measures
     * the rows and halves the batches, and the whole stream fits.
     */
    @Test
    void aWideDataset_isCutIntoSmallerBatches_soAStreamFitsItsArrowMemory(@TempDir Path dir) throws Exception {
        var file = dir.resolve("very-wide.parquet");
        var columns = new java.util.ArrayList<String>(java.util.List.of("id"));
        var select = new StringBuilder("i::BIGINT AS id");
        for (var c = 0; c < 120; c++) {
            select.append(", (hash(i * 131 + ").append(c).append(") % 1000000) / 1000000.0 AS f").append(c);
            columns.add("f" + c);
        }
        var rows = 20_000;
        try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT " + select + " FROM range(" + rows + ") t(i)) TO '" + file + "' (FORMAT parquet, COMPRESSION snappy)");
        }
        var source = new ParquetSource(java.util.List.of(file), false);
        var plan = new org.labspace.dataplane.restriction.ScanPlan(
                columns.stream().map(c -> new org.labspace.dataplane.restriction.ScanPlan.OutputColumn(c, null)).toList(), null, 0, null);
        var arrowBudget = 8L * 1024 * 1024;
        try (var scanner = new DuckDbParquetScanner(1, 256, 4_000, arrowBudget / 3, dir.resolve("spill"));
             var root = new org.apache.arrow.memory.RootAllocator(arrowBudget)) {
            try (var allocator = root.newChildAllocator("stream", 0, Long.MAX_VALUE)) {
                assertThat(scanner.batchRows(source, plan, "00", allocator)).isEqualTo(2_000);
            }
            // a consumer slower than the reader, so the sender holds all three batches
            var slowConsumer = new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[]{(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            try (var allocator = root.newChildAllocator("stream", 0, Long.MAX_VALUE); var scan = scanner.open(source, plan, allocator, "00")) {
                var sent = org.labspace.dataplane.stream.ArrowStreamSender.send(scan, slowConsumer, org.labspace.dataplane.stream.Compression.NONE, () -> { });
                assertThat(sent.rows()).isEqualTo(rows);
                assertThat(sent.batches()).isEqualTo(10);
            }
            assertThat(root.getPeakMemoryAllocation()).isLessThanOrEqualTo(arrowBudget);
        }
    }

    @Test
    void batchRows_followTheWidthOfTheColumnsSent(@TempDir Path dir) throws Exception {
        var file = wideFile(dir);
        var source = new ParquetSource(java.util.List.of(file), false);
        var plan = new org.labspace.dataplane.restriction.ScanPlan(
                WIDE_COLUMNS.stream().map(c -> new org.labspace.dataplane.restriction.ScanPlan.OutputColumn(c, null)).toList(), null, 0, null);
        try (var scanner = new DuckDbParquetScanner(1, 256, DEFAULT_BATCH, null);
             var allocator = new org.apache.arrow.memory.RootAllocator()) {
            assertThat(scanner.batchRows(source, plan, "00", allocator)).as("no cap, no probe").isEqualTo(DEFAULT_BATCH);
        }
        // the load suite's rows are 93 bytes as Arrow: 64,000 of them make 6 MB, and three such batches for each of
        // the default lab's 8 streams would pass its 128 MB Arrow part
        try (var scanner = new DuckDbParquetScanner(1, 256, DEFAULT_BATCH, MemorySplit.of(512).batchBytes(8), null);
             var allocator = new org.apache.arrow.memory.RootAllocator()) {
            assertThat(scanner.batchRows(source, plan, "00", allocator)).isEqualTo(32_000);
        }
        var idAndLabel = java.util.List.of(new org.labspace.dataplane.restriction.ScanPlan.OutputColumn("id", null),
                new org.labspace.dataplane.restriction.ScanPlan.OutputColumn("label", null));
        var idAndHashedLabel = java.util.List.of(new org.labspace.dataplane.restriction.ScanPlan.OutputColumn("id", null),
                new org.labspace.dataplane.restriction.ScanPlan.OutputColumn("label", org.labspace.dataplane.restriction.Restrictions.Mask.HASH));
        try (var scanner = new DuckDbParquetScanner(1, 256, DEFAULT_BATCH, 1_000_000, null);
             var allocator = new org.apache.arrow.memory.RootAllocator()) {
            assertThat(scanner.batchRows(source, plan, "00", allocator)).as("93 bytes a row under a 1 MB cap").isEqualTo(8_000);
            assertThat(scanner.batchRows(source, new org.labspace.dataplane.restriction.ScanPlan(idAndLabel, null, 0, null), "00", allocator))
                    .as("id and a short label: about 20 bytes a row").isEqualTo(32_000);
            assertThat(scanner.batchRows(source, new org.labspace.dataplane.restriction.ScanPlan(idAndHashedLabel, null, 0, null), "00", allocator))
                    .as("the masked label is measured as sent, a 64-digit hash").isEqualTo(8_000);
        }
    }

    @Test
    void theRowWidthIsProbedOncePerScan_andAgainWhenTheFileChanges(@TempDir Path dir) throws Exception {
        var file = dir.resolve("data.parquet");
        writeIds(file, "i::BIGINT AS id");
        var source = new ParquetSource(java.util.List.of(file), false);
        var plan = new org.labspace.dataplane.restriction.ScanPlan(
                java.util.List.of(new org.labspace.dataplane.restriction.ScanPlan.OutputColumn("id", null)), null, 0, null);
        try (var scanner = new DuckDbParquetScanner(1, 256, 8_000, 20_000, null);
             var allocator = new org.apache.arrow.memory.RootAllocator()) {
            assertThat(scanner.batchRows(source, plan, "00", allocator)).as("8 bytes a row").isEqualTo(2_000);
            assertThat(scanner.batchRows(source, plan, "00", allocator)).isEqualTo(2_000);
            assertThat(scanner.probes()).isEqualTo(1);
            // the same path, rewritten with a wider column
            writeIds(file, "'a much longer value than an id: ' || i AS id");
            java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            assertThat(scanner.batchRows(source, plan, "00", allocator)).as("about 40 bytes a row").isEqualTo(500);
            assertThat(scanner.probes()).isEqualTo(2);
        }
    }

    private static void writeIds(Path file, String column) throws Exception {
        java.nio.file.Files.deleteIfExists(file);
        try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            statement.execute("COPY (SELECT " + column + " FROM range(5000) t(i)) TO '" + file + "' (FORMAT parquet)");
        }
    }

    @Override
    protected ParquetScanner createScanner() {
        return new DuckDbParquetScanner(2, 256, 1_000);
    }
}
