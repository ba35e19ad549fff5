package org.labspace.connector.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.junit.jupiter.api.Test;
import org.labspace.connector.agreement.AgreementApiController;
import org.labspace.connector.audit.AuditApiController;
import org.labspace.connector.dataplane.TransferEndpointController;
import org.labspace.connector.dataset.DatasetApiController;
import org.labspace.connector.dataset.FederatedCatalogController;
import org.labspace.connector.policy.PolicyApiController;
import org.labspace.connector.research.ResearcherAdminController;

import java.nio.file.Files;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API's document describes exactly the operations and query parameters of its controllers, and is the one in docs/api. */
class AdminApiDocumentTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Class<?>[] CONTROLLERS = {DatasetApiController.class, PolicyApiController.class, AgreementApiController.class,
            AuditApiController.class, ResearcherAdminController.class, FederatedCatalogController.class, TransferEndpointController.class,
            AdminApiDocument.class};

    private static JsonNode document() throws Exception {
        var response = new AdminApiDocument().document();
        return YAML.readTree((byte[]) response.getEntity());
    }

    @Test
    void documentsEveryOperationAndQueryParameterOfTheControllers_andNoOther() throws Exception {
        var implemented = new TreeSet<String>();
        for (var type : CONTROLLERS) {
            var base = type.getAnnotation(Path.class).value();
            for (var method : type.getDeclaredMethods()) {
                var verb = method.isAnnotationPresent(GET.class) ? "get" : method.isAnnotationPresent(POST.class) ? "post"
                        : method.isAnnotationPresent(PUT.class) ? "put" : method.isAnnotationPresent(DELETE.class) ? "delete" : null;
                if (verb != null) {
                    var sub = method.getAnnotation(Path.class);
                    var operation = verb + " " + (sub == null ? base : base + "/" + sub.value());
                    implemented.add(operation);
                    for (var parameter : method.getParameters()) {
                        if (parameter.isAnnotationPresent(QueryParam.class)) {
                            implemented.add(operation + " ?" + parameter.getAnnotation(QueryParam.class).value());
                        }
                    }
                }
            }
        }
        var document = document();
        var documented = new TreeSet<String>();
        var paths = document.path("paths");
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fields().forEachRemaining(operation -> {
            if (operation.getKey().equals("parameters")) {
                return;
            }
            documented.add(operation.getKey() + " " + path);
            for (var parameter : operation.getValue().path("parameters")) {
                var resolved = parameter.has("$ref") ? document.at(parameter.get("$ref").asText().substring(1)) : parameter;
                if (resolved.path("in").asText().equals("query")) {
                    documented.add(operation.getKey() + " " + path + " ?" + resolved.path("name").asText());
                }
            }
        }));
        assertThat(documented).isEqualTo(implemented);
        assertThat(implemented).contains("post /labspace/v1/datasets", "post /labspace/v1/agreements/{id}/revoke", "get /labspace/v1/audit ?limit",
                "get /labspace/v1/openapi.yaml");
    }

    @Test
    void everyOperationDocumentsTheRefusal_andEveryReferenceResolves() throws Exception {
        OpenApiChecks.assertRefusalsDocumentedAndReferencesResolve(document());
    }

    @Test
    void theServedDocumentIsTheOneInDocs() throws Exception {
        var served = (byte[]) new AdminApiDocument().document().getEntity();
        assertThat(served).isEqualTo(Files.readAllBytes(java.nio.file.Path.of("..", "docs", "api", "admin-api.yaml")));
    }
}
