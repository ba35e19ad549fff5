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
 * exactly once. While the provider cannot be reached (a refused or timed-out connection, 502, 503 or 504, or 404 from
 * an endpoint that served this stream moments ago: a connector starting again) the read keeps trying, with a pause
 * growing from 100 ms to 2 s, for as long as its resume budget allows. Uses {@link HttpURLConnection}: for bulk reads it
 * measured several times faster than {@code java.net.http.HttpClient} here.
 */
public final class ArrowStreamClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String token;
    private final Duration timeout;
    private final int maxResumes;
    private final Duration resumeFor;

    /**
     * A client whose resume budget is a number of attempts: {@code maxResumes} retries in all, however long they take.
     *
     * @param endpoint   the data endpoint of the EDR (the stream is at {@code endpoint/v1/stream})
     * @param token      the EDR's token
     * @param timeout    connect timeout, and longest wait for the next bytes
     * @param maxResumes how often a failed attempt is retried before the read fails
     */
    public ArrowStreamClient(URI endpoint, String token, Duration timeout, int maxResumes) {
        this(endpoint, token, timeout, maxResumes, Duration.ZERO);
    }

    /**
     * A client that also rides out a provider that is away for a while, for example while its connector restarts:
     * a failed attempt is retried while fewer than {@code maxResumes} retries were made, or while less than
     * {@code resumeFor} has passed since the last batch arrived (or since the read began).
     *
     * @param resumeFor how long the read keeps trying to reach the provider without progress before it fails
     */
    public ArrowStreamClient(URI endpoint, String token, Duration timeout, int maxResumes, Duration resumeFor) {
        var text = endpoint.toString();
        this.endpoint = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = token;
        this.timeout = timeout;
        this.maxResumes = maxResumes;
        this.resumeFor = resumeFor;
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
        var failuresInARow = 0;
        var lastProgress = System.nanoTime();
        Schema schema = null;
        while (true) {
            HttpURLConnection connection = null;
            try {
                try {
                    connection = open("/v1/stream", query.after(rows));
                } catch (StreamClientException e) {
                    // the provider is away (its connector restarts, a proxy in front has no backend) or busy: wait
                    // for it like for a refused connection; any other refusal is final
                    if (e.status() == 502 || e.status() == 503 || e.status() == 504 || e.status() == 404 && schema != null) {
                        throw new IOException(e.getMessage(), e);
                    }
                    throw e;
                }
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
                        lastProgress = System.nanoTime();
                        failuresInARow = 0;
                    }
                    if (!in.endedWithMarker()) {
                        throw new IOException("the stream ended without its end-of-stream marker");
                    }
                    return new ReadResult(schema, rows, batches, resumes);
                }
            } catch (IOException e) {
                var waited = Duration.ofNanos(System.nanoTime() - lastProgress);
                if (resumes >= maxResumes && waited.compareTo(resumeFor) >= 0) {
                    throw new StreamClientException("the stream broke after " + rows + " rows and " + resumes + " resumes"
                            + (resumeFor.isZero() ? "" : "; the provider did not answer again for " + waited.toSeconds() + " s") + ": " + e.getMessage(), e);
                }
                resumes++;
                failuresInARow++;
                pause(failuresInARow);
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
            Thread.sleep(Math.min(2_000, 100L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamClientException("interrupted while resuming a stream", e);
        }
    }
}
