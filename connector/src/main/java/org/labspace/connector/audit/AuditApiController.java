package org.labspace.connector.audit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit log, under the Management API (same key): {@code GET /labspace/v1/audit?since=&until=&kind=&decision=
 * &participant=&dataset=&agreement=&researcher=&limit=}; times are ISO 8601 instants, e.g. {@code 2026-11-28T09:00:00Z}.
 */
@Path("/labspace/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditApiController {

    private final AuditLog audit;

    public AuditApiController(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public Response query(@QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("kind") String kind,
                          @QueryParam("decision") String decision, @QueryParam("participant") String participant,
                          @QueryParam("dataset") String dataset, @QueryParam("agreement") String agreement,
                          @QueryParam("researcher") String researcher, @QueryParam("limit") String limit) {
        AuditQuery query;
        try {
            query = new AuditQuery(instant("since", since), instant("until", until), kind, decision, participant, dataset, agreement, researcher,
                    limit == null ? 100 : Integer.parseInt(limit));
        } catch (NumberFormatException e) {
            return bad("limit must be a whole number, not '" + limit + "'");
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        return Response.ok(audit.query(query).stream().map(AuditApiController::view).toList()).build();
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO 8601 instant such as 2026-11-28T09:00:00Z, not '" + value + "'");
        }
    }

    private static Response bad(String message) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }

    static Map<String, Object> view(AuditEvent event) {
        var view = new LinkedHashMap<String, Object>();
        view.put("at", event.at().toString());
        view.put("kind", event.kind());
        view.put("decision", event.decision());
        view.put("participant", event.participant());
        view.put("researcher", event.researcher());
        view.put("dataset", event.dataset());
        view.put("agreement", event.agreement());
        view.put("transfer", event.transfer());
        view.put("detail", event.detail());
        return view;
    }
}
