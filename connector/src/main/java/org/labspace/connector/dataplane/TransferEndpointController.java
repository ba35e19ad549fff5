package org.labspace.connector.dataplane;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.edr.spi.store.EndpointDataReferenceStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The consumer side: where and with which token to read a transfer's stream, from the endpoint data reference the
 * provider sent ({@code GET /labspace/v1/transfers/{id}/endpoint}). EDC 0.15.1's own EDR API is not published.
 */
@Path("/labspace/v1/transfers")
@Produces(MediaType.APPLICATION_JSON)
public class TransferEndpointController {

    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";

    private final EndpointDataReferenceStore references;
    private final TransferProcessStore transfers;

    TransferEndpointController(EndpointDataReferenceStore references, TransferProcessStore transfers) {
        this.references = references;
        this.transfers = transfers;
    }

    @GET
    @Path("{id}/endpoint")
    public Response endpoint(@PathParam("id") String transferProcessId) {
        var transfer = transfers.findById(transferProcessId);
        if (transfer == null) {
            return Response.status(404).entity(Map.of("message", "no transfer " + transferProcessId + " at this lab")).build();
        }
        var entry = references.findById(transferProcessId);
        var address = references.resolveByTransferProcess(transferProcessId);
        if (entry == null || address.failed()) {
            var state = TransferProcessStates.from(transfer.getState());
            // 409: the transfer exists but has no endpoint (yet, or any more): callers retry while it is starting
            return Response.status(409).entity(Map.of("message", "transfer " + transferProcessId + " is " + state
                    + (state == TransferProcessStates.STARTED ? " but its endpoint has not arrived yet" : ": it has no endpoint"),
                    "state", state.name())).build();
        }
        var dataAddress = address.getContent();
        var body = new LinkedHashMap<String, Object>();
        body.put("transferProcessId", transferProcessId);
        body.put("dataset", entry.getAssetId());
        body.put("agreementId", entry.getAgreementId());
        body.put("provider", entry.getProviderId());
        body.put("endpoint", property(dataAddress.getProperties(), "endpoint"));
        body.put("token", property(dataAddress.getProperties(), "authorization"));
        return Response.ok(body).build();
    }

    private static Object property(Map<String, Object> properties, String name) {
        var value = properties.get(EDC + name);
        return value != null ? value : properties.get(name);
    }
}
