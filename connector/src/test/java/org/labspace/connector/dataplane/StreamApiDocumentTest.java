package org.labspace.connector.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.labspace.connector.web.OpenApiChecks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream endpoint's OpenAPI document describes exactly its paths and query parameters, and is the one in docs/api. */
class StreamApiDocumentTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode document() throws Exception {
        try (var in = ArrowStreamServlet.class.getResourceAsStream(ArrowStreamServlet.DOCUMENT_RESOURCE)) {
            assertThat(in).as("packed into the jar").isNotNull();
            return YAML.readTree(in);
        }
    }

    @Test
    void documentsThePathsAndParametersTheEndpointTakes() throws Exception {
        var document = document();
        var paths = new TreeSet<String>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).containsExactlyInAnyOrder(ArrowStreamServlet.STREAM, ArrowStreamServlet.INFO, ArrowStreamServlet.DOCUMENT);

        assertThat(parameters(document, ArrowStreamServlet.STREAM)).isEqualTo(new TreeSet<>(StreamEndpoint.STREAM_PARAMETERS));
        assertThat(parameters(document, ArrowStreamServlet.INFO)).isEqualTo(new TreeSet<>(StreamEndpoint.INFO_PARAMETERS));
    }

    @Test
    void everyTokenOperationDocumentsTheRefusal_andEveryReferenceResolves() throws Exception {
        OpenApiChecks.assertRefusalsDocumentedAndReferencesResolve(document());
    }

    @Test
    void theServedDocumentIsTheOneInDocs() throws Exception {
        try (var in = ArrowStreamServlet.class.getResourceAsStream(ArrowStreamServlet.DOCUMENT_RESOURCE)) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(Path.of("..", "docs", "api", "stream-api.yaml")));
        }
    }

    private static TreeSet<String> parameters(JsonNode document, String path) {
        var names = new TreeSet<String>();
        for (var parameter : document.path("paths").path(path).path("get").path("parameters")) {
            var resolved = parameter.has("$ref") ? document.at(parameter.get("$ref").asText().substring(1)) : parameter;
            names.add(resolved.path("name").asText());
        }
        return names;
    }
}
