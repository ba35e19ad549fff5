package org.labspace.connector.research;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The lab administrator's researcher keys, under the Management API (same key): {@code /labspace/v1/researchers}.
 * {@code POST {"name": ...}} answers the new key once; it is never shown again.
 */
@Path("/labspace/v1/researchers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ResearcherAdminController {

    private final ResearcherKeys keys;

    public ResearcherAdminController(ResearcherKeys keys) {
        this.keys = keys;
    }

    @POST
    public Response add(Map<String, Object> body) {
        return handle(() -> {
            var name = body == null ? null : body.get("name");
            if (!(name instanceof String text)) {
                throw new ResearchRequestException(400, "'name' is missing: the researcher's name, e.g. ana.silva");
            }
            var key = keys.add(text);
            var view = new LinkedHashMap<String, Object>();
            view.put("name", text);
            view.put("key", key);
            return Response.status(201).entity(view).build();
        });
    }

    @GET
    public Response list() {
        return handle(() -> Response.ok(keys.list().stream().map(ResearcherAdminController::view).toList()).build());
    }

    @DELETE
    @Path("{name}")
    public Response revoke(@PathParam("name") String name) {
        return handle(() -> Response.ok(view(keys.revoke(name))).build());
    }

    static Map<String, Object> view(Researcher researcher) {
        var view = new LinkedHashMap<String, Object>();
        view.put("name", researcher.name());
        view.put("created", researcher.created().toString());
        view.put("revoked", researcher.revoked() == null ? null : researcher.revoked().toString());
        view.put("active", researcher.active());
        return view;
    }

    static Response handle(Supplier<Response> action) {
        try {
            return action.get();
        } catch (ResearchRequestException e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(Map.of("message", e.getMessage())).build();
        }
    }
}
