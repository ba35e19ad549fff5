package org.labspace.connector.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.web.jersey.mapper.UnexpectedExceptionMapper;
import org.labspace.connector.database.DatabaseOutage;

import java.util.List;
import java.util.Map;

/**
 * Answers {@code 503 Retry-After} with a message naming the database when a request failed because the lab's database
 * is out of reach ({@link DatabaseOutage}); EDC would answer 500 with no body. Any other exception gets EDC's own
 * answer. Jersey picks the closest mapper by type: this one (RuntimeException) comes before EDC's catch-all
 * (Throwable), after EDC's mapper of its API exceptions.
 */
public final class DatabaseUnavailableMapper implements ExceptionMapper<RuntimeException> {

    private final UnexpectedExceptionMapper edc;
    private final Monitor monitor;
    private final boolean edcErrorShape;

    /** @param edcErrorShape the body as EDC's error list ({@code [{"message", "type"}]}), else as the research API's error */
    public DatabaseUnavailableMapper(Monitor monitor, boolean edcErrorShape) {
        this.edc = new UnexpectedExceptionMapper(monitor);
        this.monitor = monitor;
        this.edcErrorShape = edcErrorShape;
    }

    @Override
    public Response toResponse(RuntimeException exception) {
        if (!DatabaseOutage.isOutage(exception)) {
            return edc.toResponse(exception);
        }
        monitor.warning("Request refused with 503: the database is unavailable: " + exception.getMessage());
        var message = DatabaseOutage.message();
        Object body = edcErrorShape ? List.of(Map.of("message", message, "type", "DatabaseUnavailable"))
                : Map.of("error", "DatabaseUnavailable", "message", message, "constraints", List.of());
        return Response.status(503).header("Retry-After", "5").type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
