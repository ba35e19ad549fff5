package org.labspace.connector.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * EDC's Management API hands a peer's catalog answer to the caller byte for byte, so a peer that answers garbage
 * yields {@code 200} with garbage. This filter turns an answer that is not a JSON object into {@code 502} naming
 * the problem. A peer that did not answer in time gets EDC's {@code 502} with OkHttp's words ("Read timed out",
 * "timeout"); this filter says which limit it missed instead.
 */
public final class PeerCatalogGuard implements ContainerResponseFilter {

    private final ObjectMapper mapper = new ObjectMapper();
    private final int readTimeoutSeconds;

    /** @param readTimeoutSeconds {@code edc.http.client.timeout.read}, for the message when a peer does not answer */
    public PeerCatalogGuard(int readTimeoutSeconds) {
        this.readTimeoutSeconds = readTimeoutSeconds;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        var path = request.getUriInfo().getPath();
        if (!(path.endsWith("catalog/request") || path.endsWith("catalog/dataset/request"))) {
            return;
        }
        if (response.getStatus() == 502 && response.getEntity() != null && isTimeout(response.getEntity())) {
            response.getHeaders().putSingle("Content-Type", MediaType.APPLICATION_JSON);
            response.setEntity(mapper.writeValueAsBytes(List.of(Map.of("type", "BadGateway", "message",
                    "the peer did not answer within " + readTimeoutSeconds + " s (edc.http.client.timeout.read); it was not asked again"))));
            return;
        }
        if (response.getStatus() != 200) {
            return;
        }
        if (!(response.getEntity() instanceof byte[] body)) {
            return;
        }
        String problem = null;
        try {
            var node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                problem = "the peer answered with JSON that is not a catalog object";
            }
        } catch (IOException e) {
            problem = "the peer answered with something that is not JSON: " + preview(body);
        }
        if (problem != null) {
            response.setStatus(502);
            response.getHeaders().putSingle("Content-Type", MediaType.APPLICATION_JSON);
            response.setEntity(mapper.writeValueAsBytes(List.of(Map.of("message", problem, "type", "BadGateway"))));
        }
    }

    private boolean isTimeout(Object entity) {
        String text;
        try {
            text = entity instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : mapper.writeValueAsString(entity);
        } catch (IOException e) {
            text = String.valueOf(entity);
        }
        return text.contains("EdcHttpClientException: timeout") || text.contains("timed out");
    }

    private static String preview(byte[] body) {
        var text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return "'" + text + (body.length > 120 ? "...'" : "'");
    }
}
