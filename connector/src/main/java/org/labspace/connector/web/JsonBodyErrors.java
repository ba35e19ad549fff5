package org.labspace.connector.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.util.Map;

/**
 * A request body that is not JSON, or not the JSON a Labspace API takes (an array where an object belongs), is a 400
 * with the error body of every other Labspace refusal, {@code {"message": ...}}. Jackson's own mappers, which Jersey
 * would otherwise pick, answer {@code text/plain}. The priority puts these ahead of them for the same exception types.
 */
public final class JsonBodyErrors {

    private JsonBodyErrors() {
    }

    /** Both mappers, to register on a web context. */
    public static Object[] mappers() {
        return new Object[]{new Parse(), new Mapping()};
    }

    static Response badRequest(Exception e) {
        // Jackson's message without its location block, which names the internal source and is no help to a caller
        var message = e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(Map.of("message", "the request body is not the JSON expected: " + message)).build();
    }

    @Priority(1)
    public static final class Parse implements ExceptionMapper<JsonParseException> {
        @Override
        public Response toResponse(JsonParseException e) {
            return badRequest(e);
        }
    }

    @Priority(1)
    public static final class Mapping implements ExceptionMapper<JsonMappingException> {
        @Override
        public Response toResponse(JsonMappingException e) {
            return badRequest(e);
        }
    }
}
