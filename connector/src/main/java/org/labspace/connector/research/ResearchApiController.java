package org.labspace.connector.research;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.labspace.catalog.FederatedIndex;
import org.labspace.connector.dataset.FederatedCatalogController;

import java.util.Map;

/**
 * The research API (context {@code research}, researcher keys): search the network's datasets, read one, and get
 * access to it.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ResearchApiController {

    private final FederatedIndex index;
    private final AccessService access;

    public ResearchApiController(FederatedIndex index, AccessService access) {
        this.index = index;
        this.access = access;
    }

    /** The agreements and transfers the calling researcher obtained here. */
    @GET
    @Path("mine")
    public Response mine(@Context ContainerRequestContext request) {
        return Response.ok(access.mine((String) request.getProperty(ResearcherAuthFilter.RESEARCHER))).build();
    }

    /**
     * Access to a dataset for a purpose: {@code {"dataset": "lab-madrid/air-quality", "purpose": "research.ai-training"}}
     * (with {@code "newTransfer": true} a running transfer is not reused).
     * Answers the endpoint and token to read it from, with the agreement's restrictions and duties; a refusal is a
     * 4xx with {@code error} (AccessDenied, DatasetNotFound, AgreementExpired, LabUnreachable), {@code message} and
     * the failing {@code constraints} in plain words.
     */
    @POST
    @Path("access")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response access(Map<String, Object> body, @Context ContainerRequestContext request) {
        var researcher = (String) request.getProperty(ResearcherAuthFilter.RESEARCHER);
        try {
            var fields = body == null ? Map.<String, Object>of() : body;
            if (fields.get("dataset") != null && !(fields.get("dataset") instanceof String) || fields.get("purpose") != null && !(fields.get("purpose") instanceof String)) {
                throw new AccessService.AccessException(400, "BadRequest", "'dataset' and 'purpose' must be strings", java.util.List.of());
            }
            if (fields.get("newTransfer") != null && !(fields.get("newTransfer") instanceof Boolean)) {
                throw new AccessService.AccessException(400, "BadRequest", "'newTransfer' must be true or false", java.util.List.of());
            }
            return Response.ok(access.access(researcher, (String) fields.get("dataset"), (String) fields.get("purpose"),
                    Boolean.TRUE.equals(fields.get("newTransfer")))).build();
        } catch (AccessService.AccessException e) {
            var error = new java.util.LinkedHashMap<String, Object>();
            error.put("error", e.error);
            error.put("message", e.getMessage());
            error.put("constraints", e.constraints);
            return Response.status(e.status).type(MediaType.APPLICATION_JSON).entity(error).build();
        } catch (org.labspace.connector.client.ManagementApiException e) {
            return Response.status(502).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "LabUnreachable", "message", e.getMessage(), "constraints", java.util.List.of())).build();
        }
    }

    /** Datasets of the network's labs, as this lab last crawled them, ranked. */
    @GET
    @Path("datasets")
    public Response search(@QueryParam("q") String text, @QueryParam("lab") String lab, @QueryParam("column") String column,
                           @QueryParam("license") String license, @QueryParam("limit") String limit) {
        return FederatedCatalogController.search(index, text, lab, column, license, limit);
    }

    /** One dataset: {@code lab/id}. */
    @GET
    @Path("datasets/{lab}/{id}")
    public Response dataset(@PathParam("lab") String lab, @PathParam("id") String id) {
        var hit = index.find(lab, id);
        if (hit == null) {
            return Response.status(404).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("message", "no dataset '" + lab + "/" + id + "' in the network's catalog (as this lab last crawled it)")).build();
        }
        var view = FederatedCatalogController.view(hit);
        try {
            var offers = access.offers(lab, id);
            view.put("offers", offers);
            view.put("duties", offers.stream().flatMap(o -> ((java.util.List<?>) o.get("duties")).stream()).distinct().toList());
        } catch (AccessService.AccessException e) {
            // the provider is down or no longer shows the dataset: the crawled description still helps
            view.put("offers", java.util.List.of());
            view.put("offersError", e.getMessage());
        }
        return Response.ok(view).build();
    }
}
