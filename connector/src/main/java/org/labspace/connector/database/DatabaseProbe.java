package org.labspace.connector.database;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Checks at start that an external PostgreSQL answers, so a wrong URL or a database that is down is one clear line. */
public final class DatabaseProbe {

    private DatabaseProbe() {
    }

    /**
     * Opens and closes one connection.
     *
     * @return null when the database answered, else what went wrong, in words
     */
    public static String check(String jdbcUrl, String user, String password, int timeoutSeconds) {
        var properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
        properties.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
        try (var connection = DriverManager.getConnection(jdbcUrl, properties)) {
            return connection.isValid(timeoutSeconds) ? null : "the database did not answer a validation query";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
