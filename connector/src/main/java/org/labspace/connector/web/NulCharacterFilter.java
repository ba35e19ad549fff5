package org.labspace.connector.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * Refuses a query or path parameter holding a NUL character with a 400. No id, name or search word contains one, and
 * PostgreSQL cannot store or compare text with it: the query failed as a 500 (found by fuzzing the admin API's
 * {@code GET /labspace/v1/agreements?dataset=%00}). Runs after the key check.
 */
@Priority(Priorities.USER)
public final class NulCharacterFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        var found = find(request.getUriInfo().getQueryParameters());
        if (found == null) {
            found = find(request.getUriInfo().getPathParameters());
        }
        if (found != null) {
            request.abortWith(Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("message", "'" + found.replace("\u0000", "\\0") + "' holds a NUL character, which no name, id or value here can hold"))
                    .build());
        }
    }

    private static String find(MultivaluedMap<String, String> parameters) {
        for (var entry : parameters.entrySet()) {
            if (entry.getKey().indexOf('\u0000') >= 0) {
                return entry.getKey();
            }
            for (var value : entry.getValue()) {
                if (value != null && value.indexOf('\u0000') >= 0) {
                    return entry.getKey();
                }
            }
        }
        return null;
    }
}
