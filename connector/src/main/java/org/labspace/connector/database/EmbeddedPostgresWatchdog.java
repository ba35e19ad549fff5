package org.labspace.connector.database;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts the embedded PostgreSQL again when its server process dies under the running connector (killed, out of
 * memory). Every {@code interval} it asks whether the postmaster is alive; when it is not, it restarts the server, and
 * while that fails (processes of the dead server still hold its shared memory for a moment) it tries again, waiting
 * twice as long each time, up to 30 s. Requests meanwhile get 503 ({@code DatabaseUnavailable}).
 */
public final class EmbeddedPostgresWatchdog implements AutoCloseable {

    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    private final EmbeddedPostgresServer server;
    private final Duration interval;
    private final Consumer<String> info;
    private final Consumer<String> warning;
    private final ScheduledExecutorService timer;
    private Duration pause;
    private long downSince;

    /**
     * @param info    where a death and a successful restart are reported
     * @param warning where a failed restart is reported
     */
    public EmbeddedPostgresWatchdog(EmbeddedPostgresServer server, Duration interval, Consumer<String> info, Consumer<String> warning) {
        this.server = server;
        this.interval = interval;
        this.info = info;
        this.warning = warning;
        this.pause = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "labspace-postgres-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    public EmbeddedPostgresWatchdog start() {
        timer.schedule(this::check, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void check() {
        var next = interval;
        try {
            if (!server.isRunning()) {
                next = restart();
            }
        } catch (RuntimeException e) {
            warning.accept("Embedded PostgreSQL watchdog: " + e);
        }
        if (!timer.isShutdown()) {
            timer.schedule(this::check, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Duration restart() {
        if (downSince == 0) {
            downSince = System.nanoTime();
            info.accept("Embedded PostgreSQL (pid %d) is gone; starting it again on port %d, requests answer 503 meanwhile".formatted(server.pid(), server.port()));
        }
        try {
            server.restart();
            info.accept("Embedded PostgreSQL restarted (pid %d), %d ms after it was found gone; crash recovery replayed its write-ahead log".formatted(
                    server.pid(), (System.nanoTime() - downSince) / 1_000_000));
            downSince = 0;
            pause = interval;
            return interval;
        } catch (Exception e) {
            var wait = pause;
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            warning.accept("Embedded PostgreSQL could not be started again (trying again in %d ms): %s".formatted(wait.toMillis(), e.getMessage()));
            return wait;
        }
    }

    /** Stops watching; call before stopping the server, which would otherwise be started again. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
