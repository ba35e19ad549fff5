package org.labspace.connector.web;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The OpenAPI documents kept in docs/api and packed into the connector jar next to the class that serves them. */
public final class ApiDocuments {

    private ApiDocuments() {
    }

    /** The document's bytes; fails at start-up, not at the first request, when the build left it out. */
    public static byte[] read(Class<?> owner, String resource) {
        try (var in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the connector jar (built from docs/api)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
