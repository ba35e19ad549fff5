package org.labspace.connector.database;

import java.net.ConnectException;
import java.sql.SQLException;

/**
 * Tells a failure caused by the lab's database being out of reach (down, restarting, in crash recovery) from other
 * failures, so that requests meanwhile get 503 and a message naming the database rather than a 500.
 */
public final class DatabaseOutage {

    private DatabaseOutage() {
    }

    /**
     * True when a cause is a refused connection, or an SQL error of class 08 (connection exception) or 57P (the server
     * is shutting down, crashed, or still starting: "the database system is in recovery mode").
     */
    public static boolean isOutage(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** The answer's message: names the database, and says to retry. */
    public static String message() {
        return "the lab's database is unavailable (it is being restarted, or cannot be reached); nothing was changed, retry shortly";
    }
}
