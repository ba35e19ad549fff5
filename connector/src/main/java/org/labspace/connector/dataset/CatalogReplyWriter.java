package org.labspace.connector.dataset;

import jakarta.annotation.Priority;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the DSP catalog reply through {@link CatalogReplyCompaction}, before EDC's JSON-LD interceptor would
 * compact it generically. It hands the next interceptor bytes, which that one passes through. Any failure falls
 * back to EDC's own compaction, so a reply is never lost to this optimisation.
 */
@Priority(Priorities.USER - 100)
public class CatalogReplyWriter implements WriterInterceptor {

    private final CatalogReplyCompaction compaction;
    private final Monitor monitor;
    private final AtomicBoolean warned = new AtomicBoolean();

    public CatalogReplyWriter(CatalogReplyCompaction compaction, Monitor monitor) {
        this.compaction = compaction;
        this.monitor = monitor;
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (context.getEntity() instanceof JsonObject catalog && CatalogReplyCompaction.applies(catalog)) {
            try {
                var bytes = compaction.compact(catalog).getBytes(StandardCharsets.UTF_8);
                context.setEntity(bytes);
                context.setType(byte[].class);
                context.setGenericType(byte[].class);
            } catch (RuntimeException e) {
                if (warned.compareAndSet(false, true)) {
                    monitor.warning("Catalog reply written by EDC's generic JSON-LD compaction instead: " + e.getMessage(), e);
                }
            }
        }
        context.proceed();
    }
}
