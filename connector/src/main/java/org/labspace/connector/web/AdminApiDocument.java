package org.labspace.connector.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Serves the admin API's OpenAPI document (docs/api/admin-api.yaml, packed into the jar) on the Management API, at
 * {@code /labspace/v1/openapi.yaml}. Unlike the research and stream documents it needs the Management API key: EDC
 * checks the key for the whole {@code management} context, and only the lab's administrators call this API.
 */
@Path("/labspace/v1/openapi.yaml")
public class AdminApiDocument {

    static final String RESOURCE = "admin-api.yaml";

    private final byte[] document;

    public AdminApiDocument() {
        document = ApiDocuments.read(AdminApiDocument.class, RESOURCE);
    }

    @GET
    // JSON first: EDC's refusal of a missing or wrong key is a JSON entity, which Jersey cannot write as YAML (a 500)
    @Produces({MediaType.APPLICATION_JSON, "application/yaml"})
    public Response document() {
        return Response.ok(document).type("application/yaml; charset=utf-8").build();
    }
}
