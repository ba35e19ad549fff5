package org.labspace.connector.web;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What every OpenAPI document the connector serves must hold. */
public final class OpenApiChecks {

    private OpenApiChecks() {
    }

    /** Every operation that needs a credential documents its 401, no open one does, and every {@code $ref} resolves. */
    public static void assertRefusalsDocumentedAndReferencesResolve(JsonNode document) {
        var paths = document.path("paths");
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fields().forEachRemaining(operation -> {
            if (operation.getKey().equals("parameters")) {
                return; // the path's parameters, shared by its operations
            }
            var open = operation.getValue().has("security") && operation.getValue().get("security").isEmpty();
            assertThat(operation.getValue().path("responses").has("401")).as(operation.getKey() + " " + path).isEqualTo(!open);
        }));
        var refs = new ArrayList<String>();
        var matcher = Pattern.compile("\"\\$ref\":\"#/([^\"]+)\"").matcher(document.toString());
        while (matcher.find()) {
            refs.add(matcher.group(1));
        }
        assertThat(refs).isNotEmpty();
        for (var ref : refs) {
            assertThat(document.at("/" + ref).isMissingNode()).as(ref).isFalse();
        }
    }
}
