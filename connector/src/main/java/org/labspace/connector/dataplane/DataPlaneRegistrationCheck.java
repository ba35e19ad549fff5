package org.labspace.connector.dataplane;

import org.eclipse.edc.connector.dataplane.selector.spi.DataPlaneSelectorService;
import org.eclipse.edc.connector.dataplane.selector.spi.instance.DataPlaneInstanceStates;
import org.eclipse.edc.spi.monitor.Monitor;
import org.labspace.catalog.Vocabulary;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure this lab's data plane stays registered with the Arrow transfer type. EDC 0.15.1 can lose its own
 * self-registration on a restart: a lab whose database holds the previous run's data plane record was seen to keep
 * the old record (without {@code ArrowStream-PULL}), and then every transfer ended "No dataplane found". The check
 * runs a few times in the first seconds after start, then every minute, and registers the data plane again (with
 * the stored record's types plus the Arrow ones) when the record lacks them.
 */
final class DataPlaneRegistrationCheck {

    private static final long[] FIRST_CHECKS_MILLIS = {500, 1_500, 3_000, 6_000, 10_000, 20_000};

    private final DataPlaneSelectorService selector;
    private final String dataPlaneId;
    private final Monitor monitor;
    private ScheduledExecutorService scheduler;

    DataPlaneRegistrationCheck(DataPlaneSelectorService selector, String dataPlaneId, Monitor monitor) {
        this.selector = selector;
        this.dataPlaneId = dataPlaneId;
        this.monitor = monitor;
    }

    void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "labspace-dataplane-registration");
            thread.setDaemon(true);
            return thread;
        });
        for (var delay : FIRST_CHECKS_MILLIS) {
            scheduler.schedule(this::check, delay, TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(this::check, 60, 60, TimeUnit.SECONDS);
    }

    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Registers the data plane again when its record lacks the Arrow types; true when it did. */
    boolean check() {
        try {
            var found = selector.findById(dataPlaneId);
            if (found.failed()) {
                return false; // not registered yet: EDC's self-registration runs at start
            }
            var instance = found.getContent();
            var complete = instance.getAllowedTransferTypes().contains(Vocabulary.ARROW_PULL)
                    && instance.getAllowedSourceTypes().contains(Vocabulary.PARQUET_ADDRESS_TYPE);
            if (complete || instance.getState() == DataPlaneInstanceStates.UNREGISTERED.code()) {
                return false;
            }
            var repaired = instance.toBuilder()
                    .allowedTransferType(Vocabulary.ARROW_PULL)
                    .allowedSourceType(Vocabulary.PARQUET_ADDRESS_TYPE)
                    .build();
            var result = selector.register(repaired);
            if (result.succeeded()) {
                monitor.warning("The data plane's registration had lost " + Vocabulary.ARROW_PULL + " (an older record won over this start's); registered again");
                return true;
            }
            monitor.warning("Registering the data plane again failed: " + result.getFailureDetail());
        } catch (RuntimeException e) {
            monitor.warning("Checking the data plane's registration failed: " + e.getMessage());
        }
        return false;
    }
}
