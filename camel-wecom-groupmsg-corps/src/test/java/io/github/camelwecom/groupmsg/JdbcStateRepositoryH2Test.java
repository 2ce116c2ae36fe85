package io.github.camelwecom.groupmsg;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link JdbcStateRepositoryContract} on H2 (in memory, shared by the class's tests), where the value is a CLOB. */
class JdbcStateRepositoryH2Test extends JdbcStateRepositoryContract {

    private static JdbcDataSource h2;
    /** Keeps the in-memory database alive between the tests' connections. */
    private static Connection keepAlive;

    @BeforeAll
    static void startH2() throws SQLException {
        h2 = new JdbcDataSource();
        // H2 retries an insert that waits for another session's uncommitted row this long: the race test makes one
        h2.setURL("jdbc:h2:mem:jdbc-state-test;LOCK_TIMEOUT=60000");
        keepAlive = h2.getConnection();
    }

    @AfterAll
    static void stopH2() throws SQLException {
        keepAlive.close();
    }

    @Override
    DataSource dataSource() {
        return h2;
    }

    @Override
    String expectedValueType() {
        return "CHARACTER LARGE OBJECT";
    }

    /** H2 shows no lock wait: a session inserting a key that another has not committed retries its statement. */
    @Override
    String waitingInsertsQuery() {
        return "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID() "
                + "AND EXECUTING_STATEMENT LIKE 'INSERT INTO %'";
    }
}
