package org.labspace.connector.research;

import jakarta.ws.rs.GET;
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
 * The research API (context {@code research}, researcher keys): search the network's datasets and read one. Access
 * to a dataset (agreement and transfer) comes next.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ResearchApiController {

    private final FederatedIndex index;

    public ResearchApiController(FederatedIndex index) {
        this.index = index;
    }

    /** Datasets of the network's labs, as this lab last crawled them, ranked. */
    @GET
    @Path("datasets")
    public Response search(@QueryParam("q") String text, @QueryParam("lab") String lab, @QueryParam("column") String column,
                           @QueryParam("license") String license, @QueryParam("limit") Integer limit) {
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
        return Response.ok(FederatedCatalogController.view(hit)).build();
    }
}
