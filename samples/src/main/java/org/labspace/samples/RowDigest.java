package org.labspace.samples;

import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.labspace.dataplane.restriction.Restrictions;
import org.labspace.dataplane.restriction.StreamPlanner;
import org.labspace.dataplane.restriction.StreamRequest;
import org.labspace.dataplane.scan.DuckDbParquetScanner;
import org.labspace.dataplane.scan.ParquetSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What a set of rows holds, independent of batch sizes and row order: the row count and the sum of each row's
 * SHA-256 (first 8 bytes). Two tables with the same digest hold the same rows.
 */
final class RowDigest {

    private long rows;
    private long sum;
    private final MessageDigest sha;

    RowDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void add(VectorSchemaRoot batch) {
        var vectors = batch.getFieldVectors();
        for (var r = 0; r < batch.getRowCount(); r++) {
            for (var vector : vectors) {
                sha.update(vector.getName().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '=');
                sha.update(String.valueOf(vector.getObject(r)).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1f);
            }
            var hash = sha.digest();
            var value = 0L;
            for (var i = 0; i < 8; i++) {
                value = value << 8 | (hash[i] & 0xff);
            }
            sum += value;
            rows++;
        }
    }

    long rows() {
        return rows;
    }

    boolean sameRows(RowDigest other) {
        return rows == other.rows && sum == other.sum;
    }

    /** The digest of a Parquet file or folder of files, read locally with the same reader the data plane uses. */
    static RowDigest of(Path dataset) {
        try (var files = Files.walk(dataset); var scanner = new DuckDbParquetScanner(2, 256, DuckDbParquetScanner.DEFAULT_BATCH_ROWS);
             var allocator = new RootAllocator()) {
            var paths = files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
            var source = new ParquetSource(paths, Files.isDirectory(dataset));
            var columns = scanner.schema(source).getFields().stream().map(f -> f.getName()).toList();
            var plan = StreamPlanner.plan(columns, Restrictions.NONE, StreamRequest.ALL);
            var digest = new RowDigest();
            try (var scan = scanner.open(source, plan, allocator, "00")) {
                while (scan.reader().loadNextBatch()) {
                    digest.add(scan.reader().getVectorSchemaRoot());
                }
            }
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return rows + " rows, digest " + Long.toHexString(sum);
    }
}
