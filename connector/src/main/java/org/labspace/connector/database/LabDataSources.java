package org.labspace.connector.database;

import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;

import java.sql.Connection;
import java.sql.SQLException;

/** A connection to one of the lab's datasources, for Labspace's own tables (audit, revocations, researchers). */
public final class LabDataSources {

    private LabDataSources() {
    }

    /** Call inside a transaction of EDC's {@code TransactionContext}, which enlists the connection. */
    public static Connection connection(DataSourceRegistry dataSources, String name) throws SQLException {
        var dataSource = dataSources.resolve(name);
        if (dataSource == null) {
            throw new SQLException("no datasource '" + name + "'");
        }
        return dataSource.getConnection();
    }
}
