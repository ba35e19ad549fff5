package org.labspace.dataplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.labspace.dataplane.io.BlockReadChannel;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a Labspace data plane stream, given the endpoint and token of an endpoint data reference. A stream that
 * breaks is resumed where it stopped ({@code offset} = rows already handed over), so the caller gets every row
 * exactly once. Uses {@link HttpURLConnection}: for bulk reads it measured several times faster than
 * {@code java.net.http.HttpClient} here.
 */
public final class ArrowStreamClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String token;
    private final Duration timeout;
    private final int maxResumes;

    /**
     * @param endpoint   the data endpoint of the EDR (the stream is at {@code endpoint/v1/stream})
     * @param token      the EDR's token
     * @param timeout    connect timeout, and longest wait for the next bytes
     * @param maxResumes how often a broken stream is resumed before the read fails
     */
    public ArrowStreamClient(URI endpoint, String token, Duration timeout, int maxResumes) {
        var text = endpoint.toString();
        this.endpoint = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = token;
        this.timeout = timeout;
        this.maxResumes = maxResumes;
    }

    /** Receives each batch; the batch is valid only during the call. */
    @FunctionalInterface
    public interface BatchHandler {
        void accept(VectorSchemaRoot batch) throws IOException;
    }

    /** What a read delivered. */
    public record ReadResult(Schema schema, long rows, long batches, int resumes) {
    }

    /** The stream's schema after the agreement's restrictions, and its size estimates, for the query. */
    public JsonNode info(StreamQuery query) {
        return info(query.toInfoQueryString());
    }

    /** The stream's columns after the agreement's restrictions ({@code /v1/info} without its row count). */
    public JsonNode schema() {
        return info("count=false").path("schema");
    }

    private JsonNode info(String queryString) {
        HttpURLConnection connection = null;
        try {
            connection = open("/v1/info", queryString);
            try (var in = connection.getInputStream()) {
                return JSON.readTree(in);
            }
        } catch (IOException e) {
            throw new StreamClientException("reading " + endpoint + "/v1/info failed: " + e.getMessage(), e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /**
     * Reads the whole stream into {@code handler}, resuming after breaks.
     *
     * @param allocator where the batches live while the handler runs; the client frees them before returning
     */
    public ReadResult read(StreamQuery query, BufferAllocator allocator, BatchHandler handler) {
        long rows = 0;
        long batches = 0;
        var resumes = 0;
        Schema schema = null;
        while (true) {
            HttpURLConnection connection = null;
            try {
                connection = open("/v1/stream", query.after(rows));
                var in = new EndOfStreamCheck(new BufferedInputStream(connection.getInputStream(), 256 * 1024));
                try (var reader = new ArrowStreamReader(new BlockReadChannel(in, 256 * 1024), allocator, CommonsCompressionFactory.INSTANCE)) {
                    var root = reader.getVectorSchemaRoot();
                    if (schema == null) {
                        schema = root.getSchema();
                    } else if (!schema.equals(root.getSchema())) {
                        throw new StreamClientException(0, "the resumed stream has another schema: the dataset changed during the read");
                    }
                    while (reader.loadNextBatch()) {
                        handler.accept(root);
                        rows += root.getRowCount();
                        batches++;
                    }
                    if (!in.endedWithMarker()) {
                        throw new IOException("the stream ended without its end-of-stream marker");
                    }
                    return new ReadResult(schema, rows, batches, resumes);
                }
            } catch (IOException e) {
                if (resumes >= maxResumes) {
                    throw new StreamClientException("the stream broke after " + rows + " rows and " + resumes + " resumes: " + e.getMessage(), e);
                }
                resumes++;
                pause(resumes);
            } finally {
                if (connection != null) {
                    connection.disconnect();
                }
            }
        }
    }

    /** Opens a request; a refusal (non-200) is a {@link StreamClientException}, a network failure an IOException. */
    private HttpURLConnection open(String path, StreamQuery query) throws IOException {
        return open(path, query.toQueryString());
    }

    private HttpURLConnection open(String path, String queryString) throws IOException {
        var url = URI.create(endpoint + path + (queryString.isEmpty() ? "" : "?" + queryString)).toURL();
        var connection = (HttpURLConnection) url.openConnection();
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        connection.setRequestProperty("Authorization", "Bearer " + token);
        var status = connection.getResponseCode();
        if (status != 200) {
            var message = errorMessage(connection);
            connection.disconnect();
            throw new StreamClientException(status, "HTTP " + status + " from " + endpoint + path + ": " + message);
        }
        return connection;
    }

    private static String errorMessage(HttpURLConnection connection) {
        try (InputStream error = connection.getErrorStream()) {
            if (error == null) {
                return "(no body)";
            }
            var body = new String(error.readNBytes(4096), StandardCharsets.UTF_8);
            try {
                var node = JSON.readTree(body);
                return node.hasNonNull("message") ? node.get("message").asText() : body;
            } catch (IOException notJson) {
                return body;
            }
        } catch (IOException e) {
            return "(unreadable body: " + e.getMessage() + ")";
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(2_000, 100L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamClientException("interrupted while resuming a stream", e);
        }
    }
}
