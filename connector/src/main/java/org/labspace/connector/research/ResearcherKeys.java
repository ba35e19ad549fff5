package org.labspace.connector.research;

import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The research API's keys, one per researcher, issued and revoked by the lab administrator. A key is 32 random
 * bytes, shown once when issued; the database keeps only its SHA-256 digest (a random 256-bit key needs no slow
 * hash: there is nothing to guess).
 */
public final class ResearcherKeys {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    static final String PREFIX = "lsr_";

    private final DataSourceRegistry dataSources;
    private final String dataSourceName;
    private final TransactionContext transactions;
    private final QueryExecutor queries;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ResearcherKeys(DataSourceRegistry dataSources, String dataSourceName, TransactionContext transactions, QueryExecutor queries, Clock clock) {
        this.dataSources = dataSources;
        this.dataSourceName = dataSourceName;
        this.transactions = transactions;
        this.queries = queries;
        this.clock = clock;
    }

    /** A new researcher; returns their key, which is not stored and cannot be shown again. */
    public String add(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ResearchRequestException(400, "a researcher's name is 1 to 64 lower-case letters, digits, '.', '_', '@' or '-', got '" + name + "'");
        }
        var bytes = new byte[32];
        random.nextBytes(bytes);
        var key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        int inserted = transactions.execute(() -> {
            try (var connection = connection()) {
                return queries.execute(connection, "INSERT INTO labspace_researcher (name, key_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                        name, digest(key), Timestamp.from(clock.instant()));
            } catch (SQLException e) {
                throw new IllegalStateException("storing the researcher failed: " + e.getMessage(), e);
            }
        });
        // thrown outside the transaction: EDC's transaction context turns what escapes it into a persistence failure
        if (inserted == 0) {
            throw new ResearchRequestException(409, "researcher '" + name + "' exists; revoke their key and add them under another name");
        }
        return key;
    }

    public List<Researcher> list() {
        return transactions.execute(() -> {
            try (var connection = connection(); var rows = queries.query(connection, false, r -> new Researcher(r.getString(1),
                    r.getTimestamp(2).toInstant(), r.getTimestamp(3) == null ? null : r.getTimestamp(3).toInstant()),
                    "SELECT name, created_at, revoked_at FROM labspace_researcher ORDER BY name")) {
                return rows.toList();
            } catch (SQLException e) {
                throw new IllegalStateException("reading researchers failed: " + e.getMessage(), e);
            }
        });
    }

    /** Revokes the researcher's key at once; revoking twice keeps the first time. */
    public Researcher revoke(String name) {
        transactions.execute(() -> {
            try (var connection = connection()) {
                queries.execute(connection, "UPDATE labspace_researcher SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", Timestamp.from(clock.instant()), name);
            } catch (SQLException e) {
                throw new IllegalStateException("revoking the key failed: " + e.getMessage(), e);
            }
        });
        return list().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new ResearchRequestException(404, "no researcher '" + name + "' at this lab"));
    }

    /** The active researcher holding this key. */
    public Optional<String> authenticate(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() > 200) {
            return Optional.empty();
        }
        var hash = digest(key);
        String name = transactions.execute(() -> {
            try (var connection = connection()) {
                return queries.single(connection, false, r -> r.getString(1),
                        "SELECT name FROM labspace_researcher WHERE key_hash = ? AND revoked_at IS NULL", hash);
            } catch (SQLException e) {
                throw new IllegalStateException("checking the key failed: " + e.getMessage(), e);
            }
        });
        return Optional.ofNullable(name);
    }

    static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connection() throws SQLException {
        return org.labspace.connector.database.LabDataSources.connection(dataSources, dataSourceName);
    }
}
