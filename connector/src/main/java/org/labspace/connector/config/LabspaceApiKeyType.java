package org.labspace.connector.config;

/** The name under which Labspace registers its Management API key check with EDC. */
public final class LabspaceApiKeyType {
    public static final String TYPE = "labspace-apikey";

    private LabspaceApiKeyType() {
    }
}
