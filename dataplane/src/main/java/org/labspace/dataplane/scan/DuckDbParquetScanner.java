package org.labspace.dataplane.scan;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;
import org.labspace.dataplane.filter.Literal;
import org.labspace.dataplane.filter.SqlFilter;
import org.labspace.dataplane.restriction.Restrictions;
import org.labspace.dataplane.restriction.ScanPlan;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Scans Parquet with DuckDB: projection, the filter (row-group pruning on footer statistics, then row filtering),
 * and OFFSET go into one SQL query built from the plan, with quoted identifiers and bound values (the limit is applied
 * to the batches as they come, see {@link #open}). Results
 * are streamed (never materialised) and exported to Arrow through the C Data interface, so a slow reader of the
 * stream slows the scan instead of filling memory. DuckDB keeps rows in file order ({@code preserve_insertion_order}),
 * which makes {@code offset} resumable.
 *
 * <p>Measured about 3.5x the throughput of a hand-written parquet-java reader on this project's machines; see
 * docs/architecture.md.
 */
public final class DuckDbParquetScanner implements ParquetScanner {

    /** Rows per Arrow batch: just under a power of two, so Java-side copies do not round up to twice the memory. */
    public static final int DEFAULT_BATCH_ROWS = 64_000;

    /** Rows the batch-size probe reads: enough for a fair mean of variable-width values, little work. */
    static final int PROBE_ROWS = 1_000;
    /** The fewest rows a batch is cut to, however wide the rows. */
    static final int MIN_BATCH_ROWS = 125;

    private final DuckDBConnection database;
    private final int batchRows;
    private final long maxBatchBytes;
    /**
     * Row widths measured by the probe, by probe query and the files' sizes and times: a stream's resumes and the
     * other streams of an agreement do not probe again (15 ms on the load suite's dataset), a changed file does.
     */
    private final Map<String, Double> rowWidths = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
            return size() > 256;
        }
    });
    private final AtomicInteger probes = new AtomicInteger();

    /**
     * @param threads       DuckDB worker threads per scan
     * @param memoryLimitMb DuckDB's native working memory for all scans together
     */
    public DuckDbParquetScanner(int threads, int memoryLimitMb, int batchRows) {
        this(threads, memoryLimitMb, batchRows, null);
    }

    /**
     * @param spillDirectory where DuckDB may spill what does not fit its memory; null keeps DuckDB's default, a
     *                       {@code .tmp} folder in the working directory, which suits tools and tests but not a lab
     */
    public DuckDbParquetScanner(int threads, int memoryLimitMb, int batchRows, Path spillDirectory) {
        this(threads, memoryLimitMb, batchRows, Long.MAX_VALUE, spillDirectory);
    }

    /**
     * @param maxBatchBytes the most Arrow memory one batch should take: a scan whose rows are wider gets batches of
     *                      fewer rows (halved from {@code batchRows}, at least {@value #MIN_BATCH_ROWS}), measured on
     *                      the first {@value #PROBE_ROWS} rows when it opens; {@code Long.MAX_VALUE} for no cap
     */
    public DuckDbParquetScanner(int threads, int memoryLimitMb, int batchRows, long maxBatchBytes, Path spillDirectory) {
        if (threads < 1 || memoryLimitMb < 64 || batchRows < 1 || maxBatchBytes < 1) {
            throw new IllegalArgumentException("threads >= 1, memory >= 64 MB, batch rows >= 1 and batch bytes >= 1 are needed");
        }
        this.batchRows = batchRows;
        this.maxBatchBytes = maxBatchBytes;
        try {
            var properties = new Properties();
            // without it DuckDB materialises the whole result before the first row
            properties.setProperty("jdbc_stream_results", "true");
            database = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", properties);
            try (var statement = database.createStatement()) {
                statement.execute("SET threads = " + threads);
                statement.execute("SET memory_limit = '" + memoryLimitMb + "MB'");
                statement.execute("SET preserve_insertion_order = true");
                if (spillDirectory != null) {
                    statement.execute("SET temp_directory = '" + spillDirectory.toAbsolutePath().toString().replace("'", "''") + "'");
                }
                // the scanner reads only the files it is given; no extension downloads, no other file access
                statement.execute("SET autoinstall_known_extensions = false");
                statement.execute("SET autoload_known_extensions = false");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB could not start: " + e.getMessage(), e);
        }
    }

    /** One of DuckDB's settings, as the scanner's database has it. */
    String setting(String name) {
        try (var connection = database.duplicate(); var statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, name);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What DuckDB holds now, in memory and spilled, for all scans. */
    long bytesHeld() {
        try (var connection = database.duplicate(); var statement = connection.createStatement();
             var result = statement.executeQuery("SELECT sum(memory_usage_bytes + temporary_storage_bytes) FROM duckdb_memory()")) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Schema schema(ParquetSource source) {
        try (var allocator = new RootAllocator(); var scan = query(source, "SELECT * FROM " + from(source) + " LIMIT 0", List.of(), allocator)) {
            return scan.reader().getVectorSchemaRoot().getSchema();
        } catch (java.io.IOException e) {
            throw new ScanException("reading the schema of " + source.files().get(0) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Schema schema(ParquetSource source, ScanPlan plan, String maskSalt) {
        var sql = new ScanSql(source, plan, maskSalt);
        try (var allocator = new RootAllocator();
             var scan = query(source, "SELECT * FROM (" + sql.text + ") LIMIT 0", sql.parameters, allocator)) {
            return scan.reader().getVectorSchemaRoot().getSchema();
        } catch (java.io.IOException e) {
            throw new ScanException("reading the schema of " + source.files().get(0) + " failed: " + e.getMessage(), e);
        }
    }

    /** Counts without the limit and caps the count: a LIMIT in SQL would gather its rows first (see {@link #open}). */
    @Override
    public long countRows(ParquetSource source, ScanPlan plan) {
        var sql = new ScanSql(source, plan, "00");
        try (var connection = database.duplicate();
             var statement = connection.prepareStatement("SELECT count(*) FROM (" + sql.text + ")")) {
            bind(statement, sql.parameters);
            try (var result = statement.executeQuery()) {
                result.next();
                var rows = result.getLong(1);
                return plan.limit() == null ? rows : Math.min(rows, plan.limit());
            }
        } catch (SQLException e) {
            throw new ScanException(describe(source) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The limit ends the streamed batches here, and never goes into SQL: DuckDB 2.0 collects a LIMIT's rows in memory
     * before it hands over the first (a 500,000-row limit held 70 MB, and four such streams ran out of a 256 MB limit
     * in the load suite), while the scan alone streams. OFFSET streams, so it stays in SQL.
     */
    @Override
    public ParquetScan open(ParquetSource source, ScanPlan plan, BufferAllocator allocator, String maskSalt) {
        var sql = new ScanSql(source, plan, maskSalt);
        var scan = query(source, sql.text, sql.parameters, allocator, batchRows(source, plan, maskSalt, allocator));
        return plan.limit() == null ? scan : new DuckDbScan(new RowLimitReader(scan.reader(), plan.limit(), allocator), scan.result(), scan.statement(), scan.connection());
    }

    @Override
    public void close() {
        try {
            database.close();
        } catch (SQLException ignored) {
            // closing an in-memory database cannot lose anything
        }
    }

    /**
     * Rows per batch for a scan: {@link #batchRows}, halved while a batch of the scan's rows would take more than
     * {@link #maxBatchBytes}. A wide dataset (120 double columns: 64,000 rows are 62 MB) would otherwise need three
     * such batches per stream on the Arrow side. The width is measured on the scan's columns, masks applied, over its
     * first rows without the filter or offset, which could make the probe read far.
     */
    int batchRows(ParquetSource source, ScanPlan plan, String maskSalt, BufferAllocator allocator) {
        if (maxBatchBytes == Long.MAX_VALUE || plan.columns().isEmpty()) {
            return batchRows;
        }
        var probe = new ScanSql(source, new ScanPlan(plan.columns(), null, 0, null), maskSalt);
        var key = probe.text + filesState(source);
        var bytesPerRow = rowWidths.get(key);
        if (bytesPerRow == null) {
            bytesPerRow = rowWidth(source, probe, allocator);
            rowWidths.put(key, bytesPerRow);
        }
        var rows = batchRows;
        while (rows > MIN_BATCH_ROWS && rows * bytesPerRow > maxBatchBytes) {
            rows = Math.max(MIN_BATCH_ROWS, rows / 2);
        }
        return rows;
    }

    /** How often the probe ran (for tests). */
    int probes() {
        return probes.get();
    }

    /** Arrow bytes per row over the probe's rows; 0 when there are none. */
    private double rowWidth(ParquetSource source, ScanSql probe, BufferAllocator allocator) {
        probes.incrementAndGet();
        try (var probeAllocator = allocator.newChildAllocator("batch-size-probe", 0, Long.MAX_VALUE);
             var scan = query(source, "SELECT * FROM (" + probe.text + ") LIMIT " + PROBE_ROWS, probe.parameters, probeAllocator, PROBE_ROWS)) {
            var reader = scan.reader();
            if (!reader.loadNextBatch() || reader.getVectorSchemaRoot().getRowCount() == 0) {
                return 0;
            }
            var root = reader.getVectorSchemaRoot();
            long bytes = 0;
            for (var vector : root.getFieldVectors()) {
                bytes += vector.getBufferSize();
            }
            return (double) bytes / root.getRowCount();
        } catch (java.io.IOException e) {
            throw new ScanException(describe(source) + ": " + e.getMessage(), e);
        }
    }

    /** The files' sizes and modification times, so that a rewritten file is probed again. */
    private static String filesState(ParquetSource source) {
        var state = new StringBuilder();
        for (var file : source.files()) {
            try {
                state.append('|').append(Files.size(file)).append('@').append(Files.getLastModifiedTime(file).toMillis());
            } catch (java.io.IOException e) {
                state.append("|?"); // the scan itself will report the missing file
            }
        }
        return state.toString();
    }

    private DuckDbScan query(ParquetSource source, String text, List<Literal> parameters, BufferAllocator allocator) {
        return query(source, text, parameters, allocator, batchRows);
    }

    private DuckDbScan query(ParquetSource source, String text, List<Literal> parameters, BufferAllocator allocator, int rowsPerBatch) {
        Connection connection = null;
        PreparedStatement statement = null;
        ResultSet result = null;
        try {
            connection = database.duplicate();
            statement = connection.prepareStatement(text);
            bind(statement, parameters);
            result = statement.executeQuery();
            var reader = (ArrowReader) result.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, rowsPerBatch);
            return new DuckDbScan(reader, result, statement, connection);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(result, statement, connection);
            throw new ScanException(describe(source) + ": " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement statement, List<Literal> parameters) throws SQLException {
        for (var i = 0; i < parameters.size(); i++) {
            var literal = parameters.get(i);
            var index = i + 1;
            switch (literal.kind()) {
                case INTEGER -> statement.setLong(index, (Long) literal.value());
                case DECIMAL -> statement.setBigDecimal(index, (BigDecimal) literal.value());
                case DOUBLE -> statement.setDouble(index, (Double) literal.value());
                case BOOLEAN -> statement.setBoolean(index, (Boolean) literal.value());
                default -> statement.setString(index, literal.value().toString());
            }
        }
    }

    private static String from(ParquetSource source) {
        var files = source.files().stream().map(f -> "'" + f.toAbsolutePath().toString().replace("'", "''") + "'").collect(Collectors.joining(", "));
        return "read_parquet([" + files + "], hive_partitioning = " + source.hivePartitioned() + ")";
    }

    private static String describe(ParquetSource source) {
        return source.files().size() == 1 ? "scanning " + source.files().get(0) : "scanning " + source.files().size() + " files from " + source.files().get(0).getParent();
    }

    private static void closeQuietly(AutoCloseable... closeables) {
        for (var closeable : closeables) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // already failing; the first error is the one reported
                }
            }
        }
    }

    /** The SQL of a plan and its bound values. */
    private static final class ScanSql {
        final String text;
        final List<Literal> parameters = new ArrayList<>();

        ScanSql(ParquetSource source, ScanPlan plan, String maskSalt) {
            if (maskSalt == null || !maskSalt.matches("[0-9a-f]{2,128}")) {
                throw new IllegalArgumentException("the mask salt must be 2 to 128 lower-case hex digits");
            }
            var select = plan.columns().stream().map(c -> column(c, maskSalt)).collect(Collectors.joining(", "));
            var text = new StringBuilder("SELECT ").append(select).append(" FROM ").append(from(source));
            if (plan.filter() != null) {
                var filter = SqlFilter.render(plan.filter(), SqlFilter::quoteIdentifier);
                text.append(" WHERE ").append(filter.condition());
                parameters.addAll(filter.parameters());
            }
            if (plan.offset() > 0) {
                text.append(" OFFSET ").append(plan.offset());
            }
            this.text = text.toString();
        }

        private static String column(ScanPlan.OutputColumn column, String salt) {
            var name = SqlFilter.quoteIdentifier(column.name());
            if (column.mask() == null) {
                return name;
            }
            if (column.mask() == Restrictions.Mask.NULL) {
                return "CASE WHEN false THEN " + name + " END AS " + name;
            }
            return "sha256('" + salt + "' || CAST(" + name + " AS VARCHAR)) AS " + name;
        }
    }

    private record DuckDbScan(ArrowReader reader, ResultSet result, PreparedStatement statement, Connection connection) implements ParquetScan {
        @Override
        public void close() {
            closeQuietly(reader, result, statement, connection);
        }
    }
}
