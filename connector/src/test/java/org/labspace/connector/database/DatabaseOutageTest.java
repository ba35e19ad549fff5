package org.labspace.connector.database;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseOutageTest {

    @Test
    void aRefusedOrLostConnection_orAServerStartingUp_isAnOutage() {
        assertThat(DatabaseOutage.isOutage(new EdcPersistenceException(new SQLException("Connection to 127.0.0.1:5432 refused", "08001")))).isTrue();
        assertThat(DatabaseOutage.isOutage(new IllegalStateException(new SQLException("An I/O error occurred", "08006")))).isTrue();
        assertThat(DatabaseOutage.isOutage(new EdcPersistenceException(new SQLException("FATAL: the database system is starting up", "57P03")))).isTrue();
        assertThat(DatabaseOutage.isOutage(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
    }

    @Test
    void otherFailures_areNot() {
        assertThat(DatabaseOutage.isOutage(new EdcPersistenceException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseOutage.isOutage(new IllegalArgumentException("bad input"))).isFalse();
        assertThat(DatabaseOutage.isOutage(null)).isFalse();
    }
}
