package org.labspace.catalog;

import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBResultSet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * Reads what a Parquet dataset is from its footers: schema, sizes, row groups, column statistics, a fingerprint.
 * A dataset is one {@code .parquet} file or a folder of them with one schema, Hive-style partition folders
 * ({@code year=2024/}) included. No data pages are read.
 * <p>
 * DuckDB reads the footers (its {@code parquet_*} table functions) and gives the Arrow schema through its own Arrow
 * export, so the schema recorded here is the one the data plane streams. File paths reach DuckDB as bound
 * parameters only.
 */
public final class ParquetInspector {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern PARTITION_FOLDER = Pattern.compile("([^=/]+)=([^/]*)");
    // scalar DuckDB types a footer statistic can be cast to; nested types keep no min/max here
    private static final Pattern CASTABLE_TYPE = Pattern.compile("[A-Z][A-Z0-9_ ]*(\\(\\d+(, ?\\d+)?\\))?");

    /**
     * @throws DatasetException naming the path and what is wrong: missing, empty, not Parquet, a corrupt footer,
     *                          files whose schemas or partition folders differ
     */
    public DatasetProfile inspect(Path path) throws DatasetException {
        var root = path.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new DatasetException("dataset path " + root + " does not exist");
        }
        var files = parquetFiles(root);
        var fingerprint = sha256();
        var dataFiles = new ArrayList<DataFile>();
        List<String> partitionKeys = null;
        List<String[]> reference = null;
        try (var db = open()) {
            for (var file : files) {
                var relative = Files.isDirectory(root) ? root.relativize(file).toString() : file.getFileName().toString();
                var partitions = partitions(Path.of(relative));
                var keys = List.copyOf(partitions.keySet());
                if (partitionKeys == null) {
                    partitionKeys = keys;
                } else if (!partitionKeys.equals(keys)) {
                    throw new DatasetException("partition folders differ: " + dataFiles.get(0).path() + " has " + partitionKeys + ", " + relative + " has " + keys);
                }
                var footer = footer(file);
                var bytes = size(file);
                fingerprint.update((relative + '\0' + bytes + '\0').getBytes(StandardCharsets.UTF_8));
                fingerprint.update(footer);
                var schema = describe(db, file);
                if (reference == null) {
                    reference = schema;
                } else {
                    compareSchemas(dataFiles.get(0).path(), reference, relative, schema);
                }
                var counts = fileCounts(db, file);
                dataFiles.add(new DataFile(relative, bytes, counts[0], (int) counts[1], modified(file), partitions));
            }
            var required = requiredColumns(db, files.get(0));
            var stats = statistics(db, files, reference);
            var arrow = arrowSchema(db, files, !partitionKeys.isEmpty(), required);
            var typed = new ArrayList<ColumnProfile>();
            for (var column : reference) {
                var s = stats.get(column[0]);
                typed.add(new ColumnProfile(column[0], arrowType(arrow, column[0]), !required.contains(column[0]),
                        s == null ? null : s.nullCount, s == null ? null : s.min, s == null ? null : s.max, false));
            }
            for (var key : partitionKeys) {
                typed.add(new ColumnProfile(key, arrowType(arrow, key), true, null, null, null, true));
            }
            var rows = dataFiles.stream().mapToLong(DataFile::rows).sum();
            var bytes = dataFiles.stream().mapToLong(DataFile::bytes).sum();
            var rowGroups = dataFiles.stream().mapToInt(DataFile::rowGroups).sum();
            var modified = dataFiles.stream().map(DataFile::modified).max(Instant::compareTo).orElseThrow();
            return new DatasetProfile(typed, arrow.toJson(), rows, bytes, rowGroups, dataFiles, HexFormat.of().formatHex(fingerprint.digest()), modified);
        } catch (SQLException e) {
            throw new DatasetException("cannot read the Parquet metadata of " + root + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String arrowType(org.apache.arrow.vector.types.pojo.Schema schema, String column) {
        var field = schema.findField(column);
        return field == null ? "unknown" : field.getType().toString();
    }

    private static List<Path> parquetFiles(Path root) throws DatasetException {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        try (var walk = Files.walk(root)) {
            // Spark and Hive leave _SUCCESS, _metadata and .crc files beside the data; hidden folders are not data
            var files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .filter(p -> StreamSupport.stream(root.relativize(p).spliterator(), false)
                            .noneMatch(segment -> segment.toString().startsWith(".") || segment.toString().startsWith("_")))
                    .sorted()
                    .toList();
            if (files.isEmpty()) {
                throw new DatasetException("dataset folder " + root + " holds no .parquet files");
            }
            return files;
        } catch (IOException e) {
            throw new DatasetException("cannot list the dataset folder " + root + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> partitions(Path relative) {
        var partitions = new LinkedHashMap<String, String>();
        var parent = relative.getParent();
        if (parent != null) {
            for (var segment : parent) {
                var matcher = PARTITION_FOLDER.matcher(segment.toString());
                if (matcher.matches()) {
                    partitions.put(matcher.group(1), matcher.group(2));
                }
            }
        }
        return partitions;
    }

    /** The footer bytes, after checking both magic numbers: a clear error for a file that is not Parquet. */
    private static byte[] footer(Path file) throws DatasetException {
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var size = channel.size();
            if (size < 12) {
                throw new DatasetException(file + " is not a Parquet file: only " + size + " bytes");
            }
            var head = ByteBuffer.allocate(4);
            channel.read(head, 0);
            var tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, size - 8);
            if (!java.util.Arrays.equals(head.array(), MAGIC)) {
                throw new DatasetException(file + " is not a Parquet file: it does not start with PAR1");
            }
            if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail.array(), 4, 8), MAGIC)) {
                throw new DatasetException(file + " is not a whole Parquet file: it does not end with PAR1 (truncated or still being written?)");
            }
            var length = tail.getInt(0);
            if (length <= 0 || length > size - 12) {
                throw new DatasetException(file + " has a corrupt Parquet footer: footer length " + length + " in a file of " + size + " bytes");
            }
            var footer = ByteBuffer.allocate(length);
            channel.read(footer, size - 8 - length);
            return footer.array();
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection open() throws SQLException {
        var properties = new Properties();
        properties.setProperty("threads", "1");
        return DriverManager.getConnection("jdbc:duckdb:", properties);
    }

    /** Top-level columns of one file as {name, DuckDB type}. */
    private static List<String[]> describe(Connection db, Path file) throws SQLException, DatasetException {
        var columns = new ArrayList<String[]>();
        try (var statement = db.prepareStatement("DESCRIBE SELECT * FROM read_parquet(?, hive_partitioning = false)")) {
            statement.setString(1, file.toString());
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new String[]{rows.getString("column_name"), rows.getString("column_type")});
                }
            }
        } catch (SQLException e) {
            throw new DatasetException(file + " has a corrupt or unreadable Parquet footer: " + firstLine(e.getMessage()), e);
        }
        return columns;
    }

    private static void compareSchemas(String firstName, List<String[]> first, String otherName, List<String[]> other) throws DatasetException {
        for (var i = 0; i < Math.max(first.size(), other.size()); i++) {
            var a = i < first.size() ? first.get(i) : null;
            var b = i < other.size() ? other.get(i) : null;
            if (a == null || b == null || !a[0].equals(b[0]) || !a[1].equals(b[1])) {
                throw new DatasetException("files have different schemas: column " + (i + 1) + " is " + columnText(a) + " in " + firstName +
                        " but " + columnText(b) + " in " + otherName);
            }
        }
    }

    private static String columnText(String[] column) {
        return column == null ? "missing" : "'" + column[0] + "' " + column[1];
    }

    /** {rows, row groups} of one file. */
    private static long[] fileCounts(Connection db, Path file) throws SQLException {
        try (var statement = db.prepareStatement("SELECT num_rows, num_row_groups FROM parquet_file_metadata(?)")) {
            statement.setString(1, file.toString());
            try (var rows = statement.executeQuery()) {
                rows.next();
                return new long[]{rows.getLong(1), rows.getLong(2)};
            }
        }
    }

    private static java.util.Set<String> requiredColumns(Connection db, Path file) throws SQLException {
        var required = new java.util.HashSet<String>();
        try (var statement = db.prepareStatement("SELECT name FROM parquet_schema(?) WHERE repetition_type = 'REQUIRED'")) {
            statement.setString(1, file.toString());
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    required.add(rows.getString(1));
                }
            }
        }
        return required;
    }

    private record Statistic(Long nullCount, String min, String max) {
    }

    /** Null counts and min/max per top-level column over every row group of every file, typed before comparing. */
    private static Map<String, Statistic> statistics(Connection db, List<Path> files, List<String[]> columns) throws SQLException {
        var result = new LinkedHashMap<String, Statistic>();
        var paths = files.stream().map(Path::toString).toArray(String[]::new);
        for (var column : columns) {
            var type = column[1];
            var castable = CASTABLE_TYPE.matcher(type).matches() && !type.startsWith("STRUCT") && !type.startsWith("MAP");
            // the type comes from DuckDB's own DESCRIBE and is checked against CASTABLE_TYPE; values stay parameters
            var minMax = castable
                    ? "CAST(min(TRY_CAST(stats_min_value AS " + type + ")) AS VARCHAR), CAST(max(TRY_CAST(stats_max_value AS " + type + ")) AS VARCHAR)"
                    : "NULL, NULL";
            var sql = "SELECT CASE WHEN count(*) = count(stats_null_count) THEN sum(stats_null_count) END, " + minMax +
                    " FROM parquet_metadata(?) WHERE path_in_schema = ?";
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                statement.setObject(1, db.createArrayOf("VARCHAR", paths));
                statement.setString(2, column[0]);
                try (var rows = statement.executeQuery()) {
                    if (rows.next()) {
                        var nulls = rows.getObject(1);
                        result.put(column[0], new Statistic(nulls == null ? null : ((Number) nulls).longValue(), rows.getString(2), rows.getString(3)));
                    }
                }
            }
        }
        return result;
    }

    private static org.apache.arrow.vector.types.pojo.Schema arrowSchema(Connection db, List<Path> files, boolean hive, java.util.Set<String> required)
            throws SQLException {
        var paths = files.stream().map(Path::toString).toArray(String[]::new);
        try (var allocator = new RootAllocator();
             var statement = db.prepareStatement("SELECT * FROM read_parquet(?, hive_partitioning = " + hive + ") LIMIT 0")) {
            statement.setObject(1, db.createArrayOf("VARCHAR", paths));
            try (var rows = statement.executeQuery();
                 var reader = (org.apache.arrow.vector.ipc.ArrowReader) ((DuckDBResultSet) rows).arrowExportStream(allocator, 1024)) {
                var schema = reader.getVectorSchemaRoot().getSchema();
                // DuckDB exports every field as nullable; Parquet's REQUIRED says otherwise
                var fields = schema.getFields().stream()
                        .map(f -> required.contains(f.getName())
                                ? new org.apache.arrow.vector.types.pojo.Field(f.getName(),
                                new org.apache.arrow.vector.types.pojo.FieldType(false, f.getType(), f.getDictionary(), f.getMetadata()), f.getChildren())
                                : f)
                        .toList();
                return new org.apache.arrow.vector.types.pojo.Schema(fields, schema.getCustomMetadata());
            } catch (IOException e) {
                throw new SQLException("cannot export the Arrow schema: " + e.getMessage(), e);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) throws DatasetException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Instant modified(Path file) throws DatasetException {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        var line = message.strip().split("\n")[0];
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
