package org.labspace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The research API as a researcher's notebook calls it (small JSON requests, so {@code java.net.http} is fine here):
 * search, one dataset with its offers (a DSP dataset request to the provider), access. One instance is shared by
 * every thread of a benchmark; each call names the researcher's key.
 */
final class ResearchClient {

    /** An answer: the HTTP status (0 when there was none) and the JSON body, or the failure's text. */
    record Answer(int status, JsonNode body, String failure) {
        boolean ok() {
            return status == 200 && failure == null;
        }

        String describe() {
            return failure != null ? failure : "HTTP " + status + ": " + body;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    ResearchClient(URI base, Duration timeout) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    Answer search(String key, String words) {
        return send(key, HttpRequest.newBuilder(URI.create(base + "/v1/datasets?limit=20&q=" + URLEncoder.encode(words, StandardCharsets.UTF_8))).GET());
    }

    /** The dataset as crawled plus the provider's current offers; a provider that did not answer shows as {@code offersError}. */
    Answer dataset(String key, String lab, String id) {
        return send(key, HttpRequest.newBuilder(URI.create(base + "/v1/datasets/" + lab + "/" + id)).GET());
    }

    Answer access(String key, String dataset, String purpose, boolean newTransfer) {
        var body = JSON.createObjectNode().put("dataset", dataset).put("purpose", purpose).put("newTransfer", newTransfer);
        return send(key, HttpRequest.newBuilder(URI.create(base + "/v1/access")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Answer send(String key, HttpRequest.Builder request) {
        try {
            var response = http.send(request.timeout(timeout).header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException notJson) {
                body = JSON.getNodeFactory().textNode(response.body());
            }
            return new Answer(response.statusCode(), body, null);
        } catch (IOException e) {
            return new Answer(0, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, "interrupted");
        }
    }
}
