package org.labspace.connector.dataset;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.labspace.catalog.Croissant;
import org.labspace.catalog.DatasetRegistration;
import org.labspace.catalog.RegisteredDataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lab administrator's dataset API, under the Management API (same key): {@code /labspace/v1/datasets}.
 * Answers are plain JSON; errors are {@code {"message": ..., "problems": [...]}} with a 4xx status.
 */
@Path("/labspace/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DatasetApiController {

    private static final Set<String> FIELDS = Set.of("id", "path", "title", "description", "keywords", "license", "accessPolicy", "usagePolicy", "policy");

    private final DatasetService datasets;
    private final String labId;
    private final String dspAddress;

    public DatasetApiController(DatasetService datasets, String labId, String dspAddress) {
        this.datasets = datasets;
        this.labId = labId;
        this.dspAddress = dspAddress;
    }

    /** The dataset's description as MLCommons Croissant JSON-LD. */
    @GET
    @Path("{id}/croissant")
    // JSON first: refusals (a wrong key, no such dataset) are plain JSON; the description itself is typed as JSON-LD
    @Produces({MediaType.APPLICATION_JSON, "application/ld+json"})
    public Response croissant(@PathParam("id") String id) {
        return handle(() -> Response.ok(Croissant.of(datasets.get(id).summary(labId), dspAddress + "#dataset=" + id))
                .type("application/ld+json").build());
    }

    @POST
    public Response register(Map<String, Object> body) {
        return handle(() -> Response.status(201).entity(view(datasets.register(registration(body, null)))).build());
    }

    @GET
    public Response list(@QueryParam("withdrawn") boolean withdrawn) {
        return handle(() -> Response.ok(datasets.list(withdrawn).stream().map(DatasetApiController::view).toList()).build());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return handle(() -> Response.ok(view(datasets.get(id))).build());
    }

    @PUT
    @Path("{id}")
    public Response update(@PathParam("id") String id, Map<String, Object> body) {
        return handle(() -> Response.ok(view(datasets.update(id, registration(body, id)))).build());
    }

    @DELETE
    @Path("{id}")
    public Response withdraw(@PathParam("id") String id) {
        return handle(() -> Response.ok(view(datasets.withdraw(id))).build());
    }

    private static Response handle(java.util.function.Supplier<Response> action) {
        try {
            return action.get();
        } catch (DatasetRequestException e) {
            var error = new LinkedHashMap<String, Object>();
            error.put("message", e.getMessage());
            if (!e.problems().isEmpty()) {
                error.put("problems", e.problems());
            }
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(error).build();
        }
    }

    private static DatasetRegistration registration(Map<String, Object> body, String pathId) {
        if (body == null) {
            throw new DatasetRequestException(400, "a JSON object describing the dataset is required");
        }
        var unknown = body.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new DatasetRequestException(400, "unknown field(s) " + unknown + "; known fields: " + FIELDS.stream().sorted().toList());
        }
        var keywords = new ArrayList<String>();
        var raw = body.get("keywords");
        if (raw instanceof List<?> list) {
            for (var keyword : list) {
                if (keyword == null) {
                    throw new DatasetRequestException(400, "'keywords' holds a null: give a list of strings");
                }
                keywords.add(String.valueOf(keyword));
            }
        } else if (raw != null) {
            throw new DatasetRequestException(400, "'keywords' must be a list of strings");
        }
        var id = body.containsKey("id") ? text(body, "id") : pathId;
        var access = text(body, "accessPolicy");
        var usage = text(body, "usagePolicy");
        var policy = text(body, "policy");
        if (policy != null) {
            // a Labspace policy decides both who sees the dataset and who may use it
            if (access != null || usage != null) {
                throw new DatasetRequestException(400, "give either 'policy' (a Labspace policy) or 'accessPolicy' and 'usagePolicy', not both");
            }
            access = policy;
            usage = policy;
        }
        return new DatasetRegistration(id, text(body, "path"), text(body, "title"), text(body, "description"), keywords,
                text(body, "license"), access, usage);
    }

    private static String text(Map<String, Object> body, String field) {
        var value = body.get(field);
        if (value != null && !(value instanceof String)) {
            throw new DatasetRequestException(400, "'" + field + "' must be a string");
        }
        if (value != null && ((String) value).indexOf('\u0000') >= 0) {
            // PostgreSQL cannot store it in the asset's JSON
            throw new DatasetRequestException(400, "'" + field + "' holds a NUL character");
        }
        return (String) value;
    }

    static Map<String, Object> view(RegisteredDataset dataset) {
        var r = dataset.registration();
        var p = dataset.profile();
        var view = new LinkedHashMap<String, Object>();
        view.put("id", r.id());
        view.put("title", r.title());
        view.put("description", r.description());
        view.put("keywords", r.keywords());
        view.put("license", r.license());
        view.put("accessPolicy", r.accessPolicy());
        view.put("usagePolicy", r.usagePolicy());
        view.put("path", r.path());
        view.put("version", dataset.version());
        view.put("offered", dataset.offered());
        view.put("issued", String.valueOf(dataset.issued()));
        view.put("modified", String.valueOf(p.modified()));
        view.put("withdrawn", dataset.withdrawn() == null ? null : dataset.withdrawn().toString());
        view.put("rowCount", p.rowCount());
        view.put("byteSize", p.byteSize());
        view.put("fileCount", p.fileCount());
        view.put("rowGroups", p.rowGroups());
        view.put("fingerprint", p.fingerprint());
        view.put("schema", p.columns());
        return view;
    }
}
