package org.labspace.connector.audit;

import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.time.Clock;

/**
 * Records each DSP catalog request a peer made: who asked, and how many datasets and offers it was shown. A 200
 * answer means EDC verified the caller's identity token, so the token's issuer names the caller; it is only read
 * here, never trusted for anything else.
 */
public final class CatalogRequestAudit implements ContainerResponseFilter {

    private static final String DATASET = "http://www.w3.org/ns/dcat#dataset";
    private static final String HAS_POLICY = "http://www.w3.org/ns/odrl/2/hasPolicy";

    private final AuditLog audit;
    private final Clock clock;

    public CatalogRequestAudit(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        var path = request.getUriInfo().getPath();
        if (response.getStatus() != 200 || !(response.getEntity() instanceof JsonObject answer)) {
            return;
        }
        var caller = caller(request.getHeaderString("Authorization"));
        if (path.endsWith("catalog/request")) {
            var datasets = 0;
            var offers = 0;
            var listed = answer.get(DATASET);
            if (listed instanceof JsonArray array) {
                for (var dataset : array) {
                    datasets++;
                    offers += count(dataset instanceof JsonObject object ? object.get(HAS_POLICY) : null);
                }
            }
            audit.record(AuditEvent.of(clock.instant(), "catalog", "shown", caller, null, null, null, datasets + " datasets, " + offers + " offers shown"));
        } else if (path.contains("catalog/datasets/")) {
            // a request for one dataset (DSP dataset request)
            var id = answer.getString("@id", path.substring(path.lastIndexOf('/') + 1));
            audit.record(AuditEvent.of(clock.instant(), "catalog", "shown", caller, id, null, null, "1 dataset, " + count(answer.get(HAS_POLICY)) + " offers shown"));
        }
    }

    private static int count(JsonValue value) {
        if (value instanceof JsonArray array) {
            return array.size();
        }
        return value == null ? 0 : 1;
    }

    private static String caller(String authorization) {
        if (authorization == null) {
            return null;
        }
        try {
            var token = authorization.startsWith("Bearer ") ? authorization.substring(7) : authorization;
            return SignedJWT.parse(token).getJWTClaimsSet().getIssuer();
        } catch (java.text.ParseException e) {
            return null;
        }
    }
}
