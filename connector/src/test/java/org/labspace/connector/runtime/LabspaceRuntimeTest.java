package org.labspace.connector.runtime;

import org.eclipse.edc.spi.EdcException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class LabspaceRuntimeTest {

    @Test
    void describe_skipsWrappersThatOnlyRepeatTheirCause() {
        var root = new IOException("Connection refused");
        var ours = new EdcException("cannot start the embedded PostgreSQL on port 15432: Connection refused", root);
        var wrapped = new EdcException(new EdcException(ours));
        assertThat(LabspaceRuntime.describe(wrapped)).isEqualTo("cannot start the embedded PostgreSQL on port 15432: Connection refused");
    }

    @Test
    void describe_keepsEachLayerThatAddsSomething() {
        var bind = new java.net.BindException("Address already in use");
        var jetty = new IOException("Failed to bind to /127.0.0.1:19194", bind);
        var edc = new EdcException("Error starting Jetty service", jetty);
        assertThat(LabspaceRuntime.describe(new EdcException(edc)))
                .isEqualTo("Error starting Jetty service: Failed to bind to /127.0.0.1:19194: Address already in use");
    }

    @Test
    void describe_withoutAnyMessage_namesTheException() {
        assertThat(LabspaceRuntime.describe(new IllegalStateException())).contains("IllegalStateException");
    }
}
