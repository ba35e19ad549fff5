package org.labspace.catalog;

import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParquetInspectorTest {

    @TempDir
    Path dir;
    private final ParquetInspector inspector = new ParquetInspector();

    @Test
    void singleFile_givesSchemaCountsAndStatistics() throws Exception {
        var file = TestParquet.airQuality(dir.resolve("air.parquet"), 5000);

        var profile = inspector.inspect(file);

        assertThat(profile.rowCount()).isEqualTo(5000);
        assertThat(profile.fileCount()).isEqualTo(1);
        assertThat(profile.rowGroups()).isEqualTo(3);
        assertThat(profile.byteSize()).isEqualTo(Files.size(file));
        assertThat(profile.files().get(0).path()).isEqualTo("air.parquet");
        assertThat(profile.columns()).extracting(ColumnProfile::name).containsExactly("id", "station", "pm25", "city", "measured");
        var id = profile.column("id");
        assertThat(id.arrowType()).isEqualTo("Int(64, true)");
        assertThat(id.nullable()).as("NOT NULL becomes a required Parquet column").isFalse();
        assertThat(id.min()).isEqualTo("0");
        assertThat(id.max()).as("typed comparison, not text: 4999 > 999").isEqualTo("4999");
        var pm25 = profile.column("pm25");
        assertThat(pm25.nullable()).isTrue();
        assertThat(pm25.nullCount()).isEqualTo(715L);
        assertThat(pm25.arrowType()).isEqualTo("FloatingPoint(DOUBLE)");
        assertThat(profile.column("city").arrowType()).isEqualTo("Utf8");
        assertThat(profile.column("city").min()).isEqualTo("Lisboa");
        assertThat(profile.column("measured").arrowType()).startsWith("Timestamp(MICROSECOND");
        assertThat(Schema.fromJSON(profile.arrowSchemaJson()).findField("id").isNullable()).isFalse();
        assertThat(profile.fingerprint()).hasSize(64);
    }

    @Test
    void partitionedFolder_addsPartitionColumns_andSkipsMarkerFiles() throws Exception {
        TestParquet.write(dir.resolve("air"),
                "CREATE TABLE readings AS SELECT range AS id, (range % 50) / 2.0 AS pm25, 2023 + range % 2 AS year FROM range(2000)",
                "COPY readings TO {out} (FORMAT parquet, PARTITION_BY (year))");
        Files.writeString(dir.resolve("air/_SUCCESS"), "");
        Files.createDirectories(dir.resolve("air/.staging"));
        Files.writeString(dir.resolve("air/.staging/part.parquet"), "half written");

        var profile = inspector.inspect(dir.resolve("air"));

        assertThat(profile.rowCount()).isEqualTo(2000);
        assertThat(profile.fileCount()).isEqualTo(2);
        assertThat(profile.files()).extracting(DataFile::path).allMatch(p -> p.startsWith("year=202"));
        assertThat(profile.files().get(0).partitions()).containsEntry("year", "2023");
        assertThat(profile.column("year").partition()).isTrue();
        assertThat(profile.column("year").arrowType()).startsWith("Int(");
        assertThat(profile.column("pm25").partition()).isFalse();
    }

    @Test
    void fingerprint_changesWithContent_notWithReinspection() throws Exception {
        var file = TestParquet.airQuality(dir.resolve("air.parquet"), 100);
        var first = inspector.inspect(file).fingerprint();
        assertThat(inspector.inspect(file).fingerprint()).isEqualTo(first);

        TestParquet.airQuality(dir.resolve("air.parquet"), 101);
        assertThat(inspector.inspect(file).fingerprint()).isNotEqualTo(first);
    }

    @Test
    void badInput_isRefusedNamingTheProblem() throws Exception {
        assertThatThrownBy(() -> inspector.inspect(dir.resolve("missing.parquet")))
                .isInstanceOf(DatasetException.class).hasMessageContaining("missing.parquet does not exist");

        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> inspector.inspect(dir.resolve("empty"))).hasMessageContaining("holds no .parquet files");

        var csv = Files.writeString(dir.resolve("data.parquet"), "id,pm25\n1,2.5\n2,3.5\n");
        assertThatThrownBy(() -> inspector.inspect(csv)).hasMessageContaining("is not a Parquet file: it does not start with PAR1");

        var good = TestParquet.airQuality(dir.resolve("good.parquet"), 100);
        var bytes = Files.readAllBytes(good);
        var truncated = Files.write(dir.resolve("truncated.parquet"), java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> inspector.inspect(truncated)).hasMessageContaining("does not end with PAR1");

        // a footer whose bytes are garbage but whose frame is intact
        var corrupt = bytes.clone();
        var footerLength = java.nio.ByteBuffer.wrap(corrupt, corrupt.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        java.util.Arrays.fill(corrupt, corrupt.length - 8 - footerLength, corrupt.length - 8, (byte) 0x7f);
        var corruptFile = Files.write(dir.resolve("corrupt.parquet"), corrupt);
        assertThatThrownBy(() -> inspector.inspect(corruptFile)).hasMessageContaining("corrupt.parquet has a corrupt or unreadable Parquet footer");
    }

    @Test
    void folderWithMismatchedSchemas_isRefusedNamingBothFiles() throws Exception {
        TestParquet.airQuality(dir.resolve("mixed/a.parquet"), 10);
        TestParquet.write(dir.resolve("mixed/b.parquet"),
                "COPY (SELECT range AS id, 'x' AS station FROM range(5)) TO {out} (FORMAT parquet)");

        assertThatThrownBy(() -> inspector.inspect(dir.resolve("mixed")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("files have different schemas")
                .hasMessageContaining("a.parquet").hasMessageContaining("b.parquet");
    }
}
