package org.labspace.connector.dataplane;

import org.labspace.connector.audit.AuditEvent;
import org.labspace.connector.audit.AuditLog;

import org.apache.arrow.memory.BufferAllocator;
import org.eclipse.edc.spi.monitor.Monitor;
import org.labspace.dataplane.filter.FilterException;
import org.labspace.dataplane.filter.FilterParser;
import org.labspace.dataplane.filter.FilterTypes;
import org.labspace.dataplane.io.ByteSink;
import org.labspace.dataplane.restriction.RestrictionException;
import org.labspace.dataplane.restriction.ScanPlan;
import org.labspace.dataplane.restriction.StreamPlanner;
import org.labspace.dataplane.restriction.StreamRequest;
import org.labspace.dataplane.restriction.StreamRequestException;
import org.labspace.dataplane.scan.ParquetScan;
import org.labspace.dataplane.scan.ParquetScanner;
import org.labspace.dataplane.scan.ScanException;
import org.labspace.dataplane.scan.ScanMemory;
import org.labspace.dataplane.stream.ArrowStreamSender;
import org.labspace.dataplane.stream.Compression;
import org.labspace.dataplane.stream.DecodeTurns;
import org.labspace.dataplane.stream.StreamCutException;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the stream endpoint does, apart from HTTP: {@link #info} says what a stream will hold; {@link #prepare}
 * checks a stream request and opens its scan, so every refusal happens before the answer's status is sent.
 */
final class StreamEndpoint {

    private final StreamAuthorizer authorizer;
    private final ParquetScanner scanner;
    private final ActiveStreams streams;
    private final BufferAllocator allocator;
    private final Monitor monitor;
    private final AuditLog audit;
    private final java.time.Clock clock;
    private final DecodeTurns decodeTurns;

    StreamEndpoint(StreamAuthorizer authorizer, ParquetScanner scanner, ActiveStreams streams, DecodeTurns decodeTurns, BufferAllocator allocator,
                   Monitor monitor, AuditLog audit, java.time.Clock clock) {
        this.decodeTurns = decodeTurns;
        this.authorizer = authorizer;
        this.scanner = scanner;
        this.streams = streams;
        this.allocator = allocator;
        this.monitor = monitor;
        this.audit = audit;
        this.clock = clock;
    }

    /** The query parameters of {@code /v1/stream} and {@code /v1/info}, as docs/api/stream-api.yaml documents them. */
    static final Set<String> STREAM_PARAMETERS = Set.of("dataset", "columns", "filter", "limit", "offset", "compression");
    static final Set<String> INFO_PARAMETERS = Set.of("dataset", "columns", "filter", "limit", "offset", "count");

    /** A refusal, or a JSON answer: its HTTP status and body. */
    record Answer(int status, Object body) {
        static Answer error(int status, String message) {
            return new Answer(status, Map.of("message", message));
        }
    }

    /** A checked stream request with its scan open; {@link #send} writes it and frees everything, once. */
    final class PreparedStream {
        private final AuthorizedStream access;
        private final Compression compression;
        private final ParquetScan scan;
        private final BufferAllocator memory;
        private final ActiveStreams.RunningStream running;
        private final String columns;

        private PreparedStream(AuthorizedStream access, Compression compression, ParquetScan scan, BufferAllocator memory,
                               ActiveStreams.RunningStream running, String columns) {
            this.columns = columns;
            this.access = access;
            this.compression = compression;
            this.scan = scan;
            this.memory = memory;
            this.running = running;
        }

        /**
         * @throws IOException when the consumer went away, or when the stream was cut (the answer must then be aborted,
         *                     not completed, so the consumer sees it incomplete)
         */
        void send(ByteSink out) throws IOException {
            var started = System.nanoTime();
            try {
                record("started", "columns " + columns + "; restrictions: "
                        + (access.restrictions().describe().isEmpty() ? "none" : String.join("; ", access.restrictions().describe())));
                var summary = ArrowStreamSender.send(scan, out, compression, running, decodeTurns);
                record("ended", summary.rows() + " rows, " + summary.bytes() + " bytes");
                monitor.info("Stream of %s for %s (transfer %s): %d rows, %d batches, %d bytes in %d ms".formatted(access.dataset().id(),
                        access.consumerId(), access.transferProcessId(), summary.rows(), summary.batches(), summary.bytes(),
                        (System.nanoTime() - started) / 1_000_000));
            } catch (StreamCutException e) {
                record("cut", e.getMessage());
                monitor.warning("Stream of %s for %s cut: %s".formatted(access.dataset().id(), access.consumerId(), e.getMessage()));
                throw new IOException("stream cut: " + e.getMessage(), e);
            } catch (IOException e) {
                record("ended", "the consumer went away: " + e.getMessage());
                monitor.info("Stream of %s for %s ended early: %s".formatted(access.dataset().id(), access.consumerId(), e.getMessage()));
                throw e;
            } finally {
                close(scan, memory, running);
            }
        }

        private void record(String decision, String detail) {
            audit.record(AuditEvent.of(clock.instant(), "stream", decision, access.consumerId(), access.dataset().id(), access.agreementId(),
                    access.transferProcessId(), detail));
        }
    }

    /** Either an {@link Answer} refusing the request, or a {@link PreparedStream}. */
    Object prepare(String authorization, Map<String, String> query) {
        var unknown = unknownParameter(query, STREAM_PARAMETERS);
        if (unknown != null) {
            return unknown;
        }
        try {
            var access = authorizer.authorize(authorization, query.get("dataset"));
            var compression = Compression.parse(query.get("compression"));
            var plan = plan(access, query);
            var running = streams.open(access.transferProcessId(), () -> authorizer.refusal(access.transferProcessId(), access.agreementId()),
                    scanMemory(access, plan));
            BufferAllocator memory = null;
            ParquetScan scan = null;
            try {
                memory = allocator.newChildAllocator("stream-" + access.transferProcessId(), 0, allocator.getLimit());
                scan = scanner.open(access.source(), plan, memory, access.maskSalt());
                var columns = String.join(",", plan.columns().stream().map(c -> c.name()).toList());
                return new PreparedStream(access, compression, scan, memory, running, columns);
            } catch (ScanException e) {
                var othersHoldMemory = streams.scanMemoryHeld() > running.scanMemory();
                close(scan, memory, running);
                if (outOfMemory(e, othersHoldMemory)) {
                    monitor.warning("Stream of %s refused with 503: the scanner ran out of memory while other streams held %d MB: %s"
                            .formatted(access.dataset().id(), streams.scanMemoryHeld() >> 20, e.getMessage()));
                    throw new StreamAccessException(503, "the lab's scan memory (labspace.dataplane.memory-mb) ran out while other streams were running; retry shortly");
                }
                throw e;
            } catch (RuntimeException e) {
                close(scan, memory, running);
                throw e;
            }
        } catch (RuntimeException e) {
            return refusal(e);
        }
    }

    Answer info(String authorization, Map<String, String> query) {
        var unknown = unknownParameter(query, INFO_PARAMETERS);
        if (unknown != null) {
            return unknown;
        }
        try {
            var access = authorizer.authorize(authorization, query.get("dataset"));
            var plan = plan(access, query);
            var schema = scanner.schema(access.source(), plan, access.maskSalt());
            // count=false: the schema alone (a count under a row filter scans the data)
            var count = query.get("count");
            if (count != null && !count.equals("true") && !count.equals("false")) {
                return Answer.error(400, "count must be true or false, not '" + count + "'");
            }
            var counted = !"false".equals(count);
            var rows = counted ? scanner.countRows(access.source(), plan) : -1;
            var profile = access.dataset().profile();
            var fields = schema.getFields().stream().map(f -> {
                var field = new LinkedHashMap<String, Object>();
                field.put("name", f.getName());
                field.put("type", f.getType().toString());
                field.put("nullable", f.isNullable());
                return field;
            }).toList();
            var body = new LinkedHashMap<String, Object>();
            body.put("dataset", access.dataset().id());
            body.put("version", access.dataset().version());
            body.put("transferProcessId", access.transferProcessId());
            body.put("agreementId", access.agreementId());
            body.put("schema", fields);
            if (counted) {
                body.put("rows", rows);
                // bytes on disk scaled by the share of rows and columns: a rough guide for progress bars
                var columnShare = profile.columns().isEmpty() ? 1.0 : (double) plan.columns().size() / profile.columns().size();
                body.put("bytesEstimate", profile.rowCount() == 0 ? 0 : Math.round(profile.byteSize() * columnShare * rows / profile.rowCount()));
            }
            body.put("restrictions", access.restrictions().describe());
            return new Answer(200, body);
        } catch (RuntimeException e) {
            return refusal(e);
        }
    }

    /** A misspelt parameter ({@code colums=}) would otherwise be ignored and send more than was asked for. */
    private static Answer unknownParameter(Map<String, String> query, Set<String> known) {
        var unknown = query.keySet().stream().filter(name -> !known.contains(name)).sorted().toList();
        return unknown.isEmpty() ? null : Answer.error(400, "unknown query parameter" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                + "; this endpoint takes " + String.join(", ", new java.util.TreeSet<>(known)));
    }

    private Answer refusal(RuntimeException e) {
        if (e instanceof StreamAccessException access) {
            return Answer.error(access.status(), access.getMessage());
        }
        if (e instanceof StreamRequestException || e instanceof FilterException) {
            return Answer.error(400, e.getMessage());
        }
        if (e instanceof RestrictionException) {
            return Answer.error(403, e.getMessage());
        }
        if (org.labspace.connector.database.DatabaseOutage.isOutage(e)) {
            monitor.warning("Stream refused with 503: the database is unavailable: " + e.getMessage());
            return Answer.error(503, org.labspace.connector.database.DatabaseOutage.message());
        }
        if (e instanceof ScanException) {
            monitor.warning("Stream refused: " + e.getMessage(), e);
            return Answer.error(500, "the lab could not read the dataset: " + e.getMessage());
        }
        throw e;
    }

    /** What the stream's scan is expected to hold in the scanner: its dataset's row groups, the share of columns read. */
    private static long scanMemory(AuthorizedStream access, ScanPlan plan) {
        var profile = access.dataset().profile();
        var share = profile.columns().isEmpty() ? 1.0 : (double) plan.columns().size() / profile.columns().size();
        return ScanMemory.estimate(profile.byteSize(), profile.rowGroups(), share);
    }

    /**
     * Whether a scan failed to open for want of memory. DuckDB's JDBC driver mostly reports that as "Invalid result
     * set" with no reason, as it does other failures of a query; while other streams hold scanner memory, memory is
     * the likely cause and a retry the right answer (a consumer retrying alone then gets the real error).
     */
    private static boolean outOfMemory(ScanException e, boolean othersHoldMemory) {
        var message = String.valueOf(e.getMessage());
        return message.contains("Out of Memory") || othersHoldMemory && message.contains("Invalid result set");
    }

    private ScanPlan plan(AuthorizedStream access, Map<String, String> query) {
        var columns = query.get("columns");
        var names = columns == null ? null : Arrays.stream(columns.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        var offset = number("offset", query.get("offset"));
        var request = new StreamRequest(names, FilterParser.parse(query.get("filter")), number("limit", query.get("limit")), offset == null ? 0 : offset);
        // the columns registration read from the files (partition columns included, in scan order): no query per request
        var profile = access.dataset().profile().columns();
        var plan = StreamPlanner.plan(profile.stream().map(c -> c.name()).toList(), access.restrictions(), request);
        if (request.filter() != null) {
            var types = new HashMap<String, String>();
            profile.forEach(c -> types.put(c.name(), c.arrowType()));
            FilterTypes.check(request.filter(), types);
        }
        return plan;
    }

    private static Long number(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new StreamRequestException(name + " must be a whole number, not '" + text + "'");
        }
    }

    private static void close(ParquetScan scan, BufferAllocator memory, ActiveStreams.RunningStream running) {
        try {
            if (scan != null) {
                scan.close();
            }
            if (memory != null) {
                memory.close();
            }
        } finally {
            running.close();
        }
    }
}
