package org.labspace.connector.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.apache.arrow.memory.BufferAllocator;
import org.eclipse.edc.spi.monitor.Monitor;
import org.labspace.dataplane.filter.FilterException;
import org.labspace.dataplane.filter.FilterParser;
import org.labspace.dataplane.restriction.RestrictionException;
import org.labspace.dataplane.restriction.ScanPlan;
import org.labspace.dataplane.restriction.StreamPlanner;
import org.labspace.dataplane.restriction.StreamRequest;
import org.labspace.dataplane.restriction.StreamRequestException;
import org.labspace.dataplane.scan.ParquetScan;
import org.labspace.dataplane.scan.ParquetScanner;
import org.labspace.dataplane.scan.ScanException;
import org.labspace.dataplane.stream.ArrowStreamSender;
import org.labspace.dataplane.stream.Compression;
import org.labspace.dataplane.stream.StreamCutException;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data plane's stream endpoint: {@code GET /v1/stream} sends a dataset as an Arrow IPC stream under the
 * restrictions of the agreement behind the token; {@code GET /v1/info} tells what that stream will hold.
 */
@Path("/v1")
public class ArrowStreamController {

    public static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StreamAuthorizer authorizer;
    private final ParquetScanner scanner;
    private final ActiveStreams streams;
    private final BufferAllocator allocator;
    private final Monitor monitor;

    ArrowStreamController(StreamAuthorizer authorizer, ParquetScanner scanner, ActiveStreams streams, BufferAllocator allocator, Monitor monitor) {
        this.authorizer = authorizer;
        this.scanner = scanner;
        this.streams = streams;
        this.allocator = allocator;
        this.monitor = monitor;
    }

    @GET
    @Path("/stream")
    public Response stream(@HeaderParam("Authorization") String authorization, @QueryParam("dataset") String dataset,
                           @QueryParam("columns") String columns, @QueryParam("filter") String filter, @QueryParam("limit") String limit,
                           @QueryParam("offset") String offset, @QueryParam("compression") String compression) {
        try {
            var access = authorizer.authorize(authorization, dataset);
            var codec = compression(compression);
            var plan = plan(access, columns, filter, limit, offset);
            var running = streams.open(access.transferProcessId(), () -> authorizer.refusal(access.transferProcessId(), access.agreementId()));
            BufferAllocator streamMemory = null;
            ParquetScan scan = null;
            try {
                streamMemory = allocator.newChildAllocator("stream-" + access.transferProcessId(), 0, allocator.getLimit());
                scan = scanner.open(access.source(), plan, streamMemory, access.maskSalt());
            } catch (RuntimeException e) {
                close(scan, streamMemory, running);
                throw e;
            }
            var openScan = scan;
            var openMemory = streamMemory;
            StreamingOutput body = out -> {
                var started = System.nanoTime();
                try {
                    var summary = ArrowStreamSender.send(openScan, out, codec, running);
                    monitor.info("Stream of %s for %s (transfer %s): %d rows, %d batches, %d bytes in %d ms".formatted(access.dataset().id(),
                            access.consumerId(), access.transferProcessId(), summary.rows(), summary.batches(), summary.bytes(),
                            (System.nanoTime() - started) / 1_000_000));
                } catch (StreamCutException e) {
                    monitor.warning("Stream of %s for %s cut: %s".formatted(access.dataset().id(), access.consumerId(), e.getMessage()));
                    throw new IOException("stream cut: " + e.getMessage(), e);
                } catch (IOException e) {
                    monitor.info("Stream of %s for %s ended early: %s".formatted(access.dataset().id(), access.consumerId(), e.getMessage()));
                    throw e;
                } finally {
                    close(openScan, openMemory, running);
                }
            };
            return Response.ok(body, ARROW_STREAM).header("Cache-Control", "no-store").build();
        } catch (StreamAccessException e) {
            return error(e.status(), e.getMessage());
        } catch (StreamRequestException | FilterException e) {
            return error(400, e.getMessage());
        } catch (RestrictionException e) {
            return error(403, e.getMessage());
        } catch (ScanException e) {
            monitor.warning("Stream refused: " + e.getMessage(), e);
            return error(500, "the lab could not read the dataset: " + e.getMessage());
        }
    }

    @GET
    @Path("/info")
    public Response info(@HeaderParam("Authorization") String authorization, @QueryParam("dataset") String dataset,
                         @QueryParam("columns") String columns, @QueryParam("filter") String filter, @QueryParam("limit") String limit,
                         @QueryParam("offset") String offset) {
        try {
            var access = authorizer.authorize(authorization, dataset);
            var plan = plan(access, columns, filter, limit, offset);
            var schema = scanner.schema(access.source(), plan, access.maskSalt());
            var rows = scanner.countRows(access.source(), plan);
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
            body.put("rows", rows);
            // bytes on disk scaled by the share of rows and columns: a rough guide for progress bars
            var columnShare = profile.columns().isEmpty() ? 1.0 : (double) plan.columns().size() / profile.columns().size();
            body.put("bytesEstimate", profile.rowCount() == 0 ? 0 : Math.round(profile.byteSize() * columnShare * rows / profile.rowCount()));
            body.put("restrictions", access.restrictions().describe());
            return json(200, body);
        } catch (StreamAccessException e) {
            return error(e.status(), e.getMessage());
        } catch (StreamRequestException | FilterException e) {
            return error(400, e.getMessage());
        } catch (RestrictionException e) {
            return error(403, e.getMessage());
        } catch (ScanException e) {
            return error(500, "the lab could not read the dataset: " + e.getMessage());
        }
    }

    private ScanPlan plan(AuthorizedStream access, String columns, String filter, String limit, String offset) {
        var names = columns == null ? null : Arrays.stream(columns.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        var request = new StreamRequest(names, FilterParser.parse(filter), number("limit", limit), offset == null ? 0 : number("offset", offset));
        var datasetColumns = scanner.schema(access.source()).getFields().stream().map(f -> f.getName()).toList();
        return StreamPlanner.plan(datasetColumns, access.restrictions(), request);
    }

    private static Compression compression(String text) {
        return Compression.parse(text);
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

    private static Response error(int status, String message) {
        return json(status, Map.of("message", message));
    }

    private static Response json(int status, Object body) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON).entity(JSON.writeValueAsString(body)).build();
        } catch (IOException e) {
            return Response.status(500).type(MediaType.TEXT_PLAIN).entity("could not write the answer").build();
        }
    }
}
