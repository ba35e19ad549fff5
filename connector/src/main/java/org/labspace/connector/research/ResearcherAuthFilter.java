package org.labspace.connector.research;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * Every research API request needs a researcher's key: {@code Authorization: Bearer <key>} or {@code X-Api-Key}.
 * The researcher's name is put on the request ({@link #RESEARCHER}) for the audit log. Only the OpenAPI document is public.
 */
public final class ResearcherAuthFilter implements ContainerRequestFilter {

    public static final String RESEARCHER = "labspace.researcher";

    private final ResearcherKeys keys;

    public ResearcherAuthFilter(ResearcherKeys keys) {
        this.keys = keys;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getMethod().equals("GET") && request.getUriInfo().getPath().replaceFirst("^/", "").equals(ResearchApiDocument.PATH)) {
            return; // the API's description is public; it holds no data
        }
        var key = request.getHeaderString("X-Api-Key");
        var authorization = request.getHeaderString("Authorization");
        if (key == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).trim();
        }
        if (key == null || key.isBlank()) {
            request.abortWith(refuse("no researcher key: send 'Authorization: Bearer <key>' with the key your lab administrator issued (bin/labspace researcher add)"));
            return;
        }
        var researcher = keys.authenticate(key.trim());
        if (researcher.isEmpty()) {
            request.abortWith(refuse("researcher key refused: it is unknown or revoked"));
            return;
        }
        request.setProperty(RESEARCHER, researcher.get());
    }

    private static Response refuse(String message) {
        return Response.status(401).type(MediaType.APPLICATION_JSON).header("WWW-Authenticate", "Bearer realm=\"labspace-research\"")
                .entity(Map.of("message", message)).build();
    }
}
