package org.labspace.connector.audit;

import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lab's audit log, a table in its database. Lines are written by one thread, in order, in transactions of their
 * own: a decision taken inside EDC's transaction (a refusal that EDC then rolls back) is still recorded. A full queue
 * makes the caller wait rather than lose a line.
 */
public final class AuditLog implements AutoCloseable {

    private static final AuditEvent STOP = new AuditEvent(null, "", "", null, null, null, null, null, "");

    private final DataSourceRegistry dataSources;
    private final String dataSourceName;
    private final TransactionContext transactions;
    private final QueryExecutor queries;
    private final Monitor monitor;
    private final BlockingQueue<AuditEvent> queue = new ArrayBlockingQueue<>(10_000);
    private final Thread writer;
    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();

    public AuditLog(DataSourceRegistry dataSources, String dataSourceName, TransactionContext transactions, QueryExecutor queries, Monitor monitor) {
        this.dataSources = dataSources;
        this.dataSourceName = dataSourceName;
        this.transactions = transactions;
        this.queries = queries;
        this.monitor = monitor;
        this.writer = new Thread(this::write, "labspace-audit");
        this.writer.setDaemon(true);
    }

    public void start() {
        writer.start();
    }

    public void record(AuditEvent event) {
        try {
            if (queue.offer(event, 5, TimeUnit.SECONDS)) {
                queued.incrementAndGet();
            } else {
                monitor.severe("Audit log queue full for 5 s; line lost: " + event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            monitor.severe("Interrupted while queuing an audit line; line lost: " + event);
        }
    }

    /** Waits until every line queued so far is written (for readers that must see their own writes). */
    public void flush() {
        var target = queued.get();
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (done.get() < target && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public List<AuditEvent> query(AuditQuery query) {
        flush();
        var sql = new StringBuilder("SELECT at, kind, decision, participant, researcher, dataset, agreement, transfer, detail FROM labspace_audit WHERE TRUE");
        var arguments = new ArrayList<Object>();
        if (query.since() != null) {
            sql.append(" AND at >= ?");
            arguments.add(Timestamp.from(query.since()));
        }
        if (query.until() != null) {
            sql.append(" AND at < ?");
            arguments.add(Timestamp.from(query.until()));
        }
        for (var filter : new String[][]{{"kind", query.kind()}, {"decision", query.decision()}, {"participant", query.participant()},
                {"dataset", query.dataset()}, {"agreement", query.agreement()}, {"researcher", query.researcher()}}) {
            if (filter[1] != null) {
                sql.append(" AND ").append(filter[0]).append(" = ?");
                arguments.add(filter[1]);
            }
        }
        sql.append(" ORDER BY seq DESC LIMIT ").append(query.limit());
        return transactions.execute(() -> {
            try (var connection = connection(); var rows = queries.query(connection, false, r -> new AuditEvent(r.getTimestamp(1).toInstant(),
                    r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getString(9)),
                    sql.toString(), arguments.toArray())) {
                var lines = new ArrayList<>(rows.toList());
                Collections.reverse(lines);
                return lines;
            } catch (SQLException e) {
                throw new IllegalStateException("reading the audit log failed: " + e.getMessage(), e);
            }
        });
    }

    private void write() {
        while (true) {
            AuditEvent event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (event == STOP) {
                return;
            }
            insert(event);
            done.incrementAndGet();
        }
    }

    private void insert(AuditEvent event) {
        for (var attempt = 1; ; attempt++) {
            try {
                transactions.execute(() -> {
                    try (var connection = connection()) {
                        queries.execute(connection, "INSERT INTO labspace_audit (at, kind, decision, participant, researcher, dataset, agreement, transfer, detail)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", Timestamp.from(event.at()), event.kind(), event.decision(), event.participant(),
                                event.researcher(), event.dataset(), event.agreement(), event.transfer(), event.detail());
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                return;
            } catch (RuntimeException e) {
                // the database may be restarting: keep the line and retry, a few times
                if (attempt == 5) {
                    monitor.severe("Audit line could not be written: " + event, e);
                    return;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Connection connection() throws SQLException {
        return org.labspace.connector.database.LabDataSources.connection(dataSources, dataSourceName);
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        queue.offer(STOP);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
