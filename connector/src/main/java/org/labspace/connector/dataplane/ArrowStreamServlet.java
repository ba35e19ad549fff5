package org.labspace.connector.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.labspace.connector.web.ApiDocuments;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The data plane's stream endpoint on the {@code public} web context: {@code GET /v1/stream} sends a dataset as an
 * Arrow IPC stream under the restrictions of the agreement behind the token; {@code GET /v1/info} says what that
 * stream will hold. A plain servlet rather than a Jersey resource, so that the batches' off-heap buffers reach Jetty
 * without being copied onto the heap (see {@link ServletByteSink}).
 */
final class ArrowStreamServlet extends HttpServlet {

    static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
    static final String STREAM = "/v1/stream";
    static final String INFO = "/v1/info";
    static final String DOCUMENT = "/v1/openapi.yaml";
    /** docs/api/stream-api.yaml, packed into the jar next to this class. */
    static final String DOCUMENT_RESOURCE = "stream-api.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient StreamEndpoint endpoint;

    private final byte[] document;

    ArrowStreamServlet(StreamEndpoint endpoint) {
        this.endpoint = endpoint;
        this.document = ApiDocuments.read(ArrowStreamServlet.class, DOCUMENT_RESOURCE);
    }

    /** Every method but GET is a 405: HttpServlet answers one it does not know (QUERY, found by fuzzing) with a 501. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            answer(response, StreamEndpoint.Answer.error(405, "this endpoint answers GET only, not " + request.getMethod()));
            return;
        }
        super.service(request, response);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var path = request.getPathInfo() == null ? "" : request.getPathInfo();
        var authorization = request.getHeader("Authorization");
        switch (path) {
            case INFO -> answer(response, endpoint.info(authorization, query(request)));
            case STREAM -> stream(request, response, authorization);
            case DOCUMENT -> {
                // the endpoint's description needs no token
                response.setStatus(200);
                response.setContentType("application/yaml; charset=utf-8");
                response.getOutputStream().write(document);
            }
            default -> answer(response, StreamEndpoint.Answer.error(404, "no " + path + " here: the stream is at /v1/stream, its description at /v1/info"));
        }
    }

    private void stream(HttpServletRequest request, HttpServletResponse response, String authorization) throws IOException {
        var prepared = endpoint.prepare(authorization, query(request));
        if (prepared instanceof StreamEndpoint.Answer refusal) {
            answer(response, refusal);
            return;
        }
        response.setStatus(200);
        response.setContentType(ARROW_STREAM);
        response.setHeader("Cache-Control", "no-store");
        // a failure from here on propagates: Jetty then aborts the committed answer instead of ending it cleanly
        ((StreamEndpoint.PreparedStream) prepared).send(new ServletByteSink(response.getOutputStream(), 256 * 1024));
    }

    private static Map<String, String> query(HttpServletRequest request) {
        var query = new HashMap<String, String>();
        request.getParameterMap().forEach((name, values) -> {
            if (values.length > 0) {
                query.put(name, values[0]);
            }
        });
        return query;
    }

    private static void answer(HttpServletResponse response, StreamEndpoint.Answer answer) throws IOException {
        response.setStatus(answer.status());
        if (answer.status() == 503) {
            // busy or starting: both clients retry a 503 on their own; others learn when from this
            response.setHeader("Retry-After", "1");
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(JSON.writeValueAsBytes(answer.body()));
    }
}
