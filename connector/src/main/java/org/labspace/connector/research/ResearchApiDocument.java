package org.labspace.connector.research;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.labspace.connector.web.ApiDocuments;

/** Serves the research API's OpenAPI document (docs/api/research-api.yaml, packed into the jar) without a key. */
@Path("/v1/openapi.yaml")
public class ResearchApiDocument {

    static final String PATH = "v1/openapi.yaml";
    static final String RESOURCE = "research-api.yaml";

    private final byte[] document;

    public ResearchApiDocument() {
        document = ApiDocuments.read(ResearchApiDocument.class, RESOURCE);
    }

    @GET
    @Produces("application/yaml")
    public Response document() {
        return Response.ok(document).type("application/yaml; charset=utf-8").build();
    }
}
