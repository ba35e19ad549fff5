package org.labspace.connector.agreement;

import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agreements the provider revoked, in the lab's database (EDC has no revocation of its own). Read on every transfer
 * start and every stream check, so answers are cached; a revocation is never undone, so the cache never goes stale
 * for a revoked agreement, and misses are not cached.
 */
public final class Revocations {

    /** When and why an agreement was revoked. */
    public record Revocation(String agreementId, Instant at, String reason) {
        public String describe() {
            return "agreement " + agreementId + " was revoked by the provider at " + at + ": " + reason;
        }
    }

    private final DataSourceRegistry dataSources;
    private final String dataSourceName;
    private final TransactionContext transactions;
    private final QueryExecutor queries;
    private final Map<String, Revocation> known = new ConcurrentHashMap<>();

    public Revocations(DataSourceRegistry dataSources, String dataSourceName, TransactionContext transactions, QueryExecutor queries) {
        this.dataSources = dataSources;
        this.dataSourceName = dataSourceName;
        this.transactions = transactions;
        this.queries = queries;
    }

    /** Records the revocation; a second revocation of the same agreement keeps the first. */
    public Revocation revoke(String agreementId, String reason, Instant at) {
        transactions.execute(() -> {
            try (var connection = connection()) {
                queries.execute(connection, "INSERT INTO labspace_revocation (agreement_id, revoked_at, reason) VALUES (?, ?, ?) ON CONFLICT (agreement_id) DO NOTHING",
                        agreementId, Timestamp.from(at), reason);
            } catch (SQLException e) {
                throw new IllegalStateException("recording the revocation failed: " + e.getMessage(), e);
            }
        });
        known.remove(agreementId);
        return find(agreementId).orElseThrow();
    }

    public Optional<Revocation> find(String agreementId) {
        if (agreementId == null) {
            return Optional.empty();
        }
        var cached = known.get(agreementId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Revocation found = transactions.execute(() -> {
            try (var connection = connection()) {
                return queries.single(connection, false, r -> new Revocation(r.getString(1), r.getTimestamp(2).toInstant(), r.getString(3)),
                        "SELECT agreement_id, revoked_at, reason FROM labspace_revocation WHERE agreement_id = ?", agreementId);
            } catch (SQLException e) {
                throw new IllegalStateException("reading revocations failed: " + e.getMessage(), e);
            }
        });
        if (found != null) {
            known.put(agreementId, found);
        }
        return Optional.ofNullable(found);
    }

    private Connection connection() throws SQLException {
        return org.labspace.connector.database.LabDataSources.connection(dataSources, dataSourceName);
    }
}
