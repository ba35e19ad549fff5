package org.labspace.connector.agreement;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The provider's agreements, under the Management API (same key): {@code /labspace/v1/agreements}, and their
 * revocation, {@code POST /labspace/v1/agreements/{id}/revoke} with {@code {"reason": ...}}.
 */
@Path("/labspace/v1/agreements")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgreementApiController {

    private final AgreementService agreements;

    public AgreementApiController(AgreementService agreements) {
        this.agreements = agreements;
    }

    @GET
    public Response list(@QueryParam("dataset") String dataset, @QueryParam("consumer") String consumer) {
        return handle(() -> Response.ok(agreements.listGranted(dataset, consumer).stream().map(AgreementApiController::view).toList()).build());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return handle(() -> Response.ok(view(agreements.get(id))).build());
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@PathParam("id") String id, Map<String, Object> body) {
        return handle(() -> {
            var reason = body == null ? null : body.get("reason");
            if (reason != null && !(reason instanceof String)) {
                throw new AgreementRequestException(400, "'reason' must be a string");
            }
            if (reason != null && ((String) reason).indexOf('\u0000') >= 0) {
                throw new AgreementRequestException(400, "'reason' holds a NUL character");
            }
            return Response.ok(view(agreements.revoke(id, (String) reason))).build();
        });
    }

    static Map<String, Object> view(AgreementService.AgreementView agreement) {
        var view = new LinkedHashMap<String, Object>();
        view.put("id", agreement.id());
        view.put("dataset", agreement.dataset());
        view.put("provider", agreement.provider());
        view.put("consumer", agreement.consumer());
        view.put("purpose", agreement.terms().purpose());
        view.put("signed", agreement.signed().toString());
        view.put("expires", agreement.terms().expiresAt() == null ? null : agreement.terms().expiresAt().toString());
        view.put("maxTransfers", agreement.terms().maxTransfers());
        view.put("transfers", agreement.transfers());
        view.put("restrictions", agreement.terms().restrictions());
        view.put("duties", agreement.terms().duties());
        view.put("state", agreement.state());
        if (agreement.revocation() != null) {
            view.put("revoked", agreement.revocation().at().toString());
            view.put("revocationReason", agreement.revocation().reason());
        }
        return view;
    }

    private static Response handle(Supplier<Response> action) {
        try {
            return action.get();
        } catch (AgreementRequestException e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(Map.of("message", e.getMessage())).build();
        }
    }
}
