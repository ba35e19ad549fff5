package org.labspace.connector.research;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;
import org.labspace.connector.web.OpenApiChecks;

import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The served OpenAPI document describes exactly the research API's operations, and every reference in it resolves. */
class ResearchApiDocumentTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode document() throws Exception {
        var response = new ResearchApiDocument().document();
        return YAML.readTree((byte[]) response.getEntity());
    }

    @Test
    void documentsEveryOperationOfTheControllers_andNoOther() throws Exception {
        var implemented = new TreeSet<String>();
        for (var type : new Class<?>[]{ResearchApiController.class, ResearchApiDocument.class}) {
            var base = type.getAnnotation(Path.class).value();
            for (var method : type.getDeclaredMethods()) {
                var verb = method.isAnnotationPresent(GET.class) ? "get" : method.isAnnotationPresent(POST.class) ? "post"
                        : method.isAnnotationPresent(PUT.class) ? "put" : method.isAnnotationPresent(DELETE.class) ? "delete" : null;
                if (verb != null) {
                    var sub = method.getAnnotation(Path.class);
                    implemented.add(verb + " " + (sub == null ? base : base + "/" + sub.value()));
                }
            }
        }
        var documented = new TreeSet<String>();
        var paths = document().path("paths");
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(verb -> documented.add(verb + " " + path)));
        assertThat(documented).isEqualTo(implemented);
        assertThat(implemented).contains("post /v1/access", "get /v1/datasets/{lab}/{id}", "get /v1/mine");
    }

    @Test
    void everyKeyedOperationDocumentsTheRefusal_andEveryReferenceResolves() throws Exception {
        OpenApiChecks.assertRefusalsDocumentedAndReferencesResolve(document());
    }
}
