package io.github.camelwecom.groupmsg.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A {@link StateRepository} in a database table, for consumers that run on several replicas: each
 * {@link #getState} reads the row again (another replica may have written it since, so nothing is cached), and each
 * {@link #setState} writes only the key's own row, whatever the size of the value (a follow-mode checkpoint of a
 * 2,000-member corp is about 1 MB).
 * <p>
 * One row per key: {@code state_key VARCHAR(512)} primary key, {@code state_value} (TEXT on PostgreSQL, CLOB
 * elsewhere; tested on PostgreSQL and H2) and {@code updated_at} (the database's {@code CURRENT_TIMESTAMP}, so
 * replicas' clocks do not matter).
 * The table ({@value #DEFAULT_TABLE_NAME} unless set) is created at start when absent; with
 * {@link #setCreateTable(boolean) createTable} false an absent table fails the start instead (see {@link #ddl}).
 * Plain JDBC: bring the driver and a pooled {@link DataSource}.
 */
public class JdbcStateRepository extends ServiceSupport implements StateRepository<String, String> {

    public static final String DEFAULT_TABLE_NAME = "wecom_groupmsg_state";
    /** Longest key: 512 characters stay within PostgreSQL's B-tree entry limit (2,704 bytes) in any UTF-8. */
    public static final int MAX_KEY_LENGTH = 512;

    /** A plain or schema-qualified SQL identifier: it is put into the SQL text, so nothing else gets in. */
    private static final Pattern TABLE_NAME
            = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    /** SQLState class 23: integrity constraint violation (here: the key's row was inserted meanwhile). */
    private static final String INTEGRITY_VIOLATION = "23";
    /** Inserts lost to a concurrent insert of the same key before giving up; one is enough unless rows are deleted. */
    private static final int MAX_ATTEMPTS = 5;

    private DataSource dataSource;
    private String tableName = DEFAULT_TABLE_NAME;
    private boolean createTable = true;

    public JdbcStateRepository() {
    }

    public JdbcStateRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public JdbcStateRepository(DataSource dataSource, String tableName) {
        this.dataSource = dataSource;
        setTableName(tableName);
    }

    public DataSource getDataSource() {
        return dataSource;
    }

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public String getTableName() {
        return tableName;
    }

    /**
     * The table, optionally schema-qualified ({@code schema.table}): letters, digits and underscores, not starting
     * with a digit, at most 63 characters a part.
     */
    public void setTableName(String tableName) {
        if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("Invalid tableName " + tableName + ": allowed is table or schema.table, "
                                               + "each of letters, digits and _, not starting with a digit, at most "
                                               + "63 characters");
        }
        this.tableName = tableName;
    }

    public boolean isCreateTable() {
        return createTable;
    }

    /** Whether {@link #start()} creates the table when it is absent (else fails); default true. */
    public void setCreateTable(boolean createTable) {
        this.createTable = createTable;
    }

    @Override
    protected void doStart() throws Exception {
        if (dataSource == null) {
            throw new IllegalStateException("JdbcStateRepository for table " + tableName + " needs a dataSource");
        }
        if (createTable) {
            createTableIfAbsent();
        } else {
            try (Connection connection = dataSource.getConnection()) {
                if (!tableExists(connection)) {
                    throw new IllegalStateException("Table " + tableName + " of the state repository cannot be read: "
                                                    + "create it (" + ddl(tableName, "TEXT or CLOB") + ") or set "
                                                    + "createTable=true");
                }
            }
        }
    }

    /** The key's value as the database holds it now, or null when it has none. */
    @Override
    public String getState(String key) {
        checkKey(key);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT state_value FROM " + tableName + " WHERE state_key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failure("read", key, e);
        }
    }

    /**
     * Writes the key's row. Update, then insert if there was none, then update again if a concurrent insert of the
     * same key won (the primary key refuses ours with SQLState class 23). Chosen over the native upserts, which differ
     * by database (PostgreSQL's {@code INSERT ... ON CONFLICT}, H2's {@code MERGE ... KEY}): the same plain SQL is
     * correct on both and on any database with primary keys. Each statement is its own transaction (auto-commit), so
     * the update after a refused insert runs (PostgreSQL refuses every statement after an error in a transaction)
     * and sees the row the other writer committed.
     */
    @Override
    public void setState(String key, String value) {
        checkKey(key);
        if (value == null) {
            throw new IllegalArgumentException("null value for key " + key + " in table " + tableName);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            try {
                upsert(connection, key, value);
            } finally {
                if (!autoCommit) {
                    connection.setAutoCommit(false);
                }
            }
        } catch (SQLException e) {
            throw failure("write", key, e);
        }
    }

    private void upsert(Connection connection, String key, String value) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE " + tableName + " SET state_value = ?, updated_at = CURRENT_TIMESTAMP WHERE state_key = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + tableName
                                                                    + " (state_key, state_value, updated_at)"
                                                                    + " VALUES (?, ?, CURRENT_TIMESTAMP)")) {
            update.setString(1, value);
            update.setString(2, key);
            insert.setString(1, key);
            insert.setString(2, value);
            for (int attempt = 1;; attempt++) {
                if (update.executeUpdate() > 0) {
                    return;
                }
                try {
                    insert.executeUpdate();
                    return;
                } catch (SQLException e) {
                    if (!isIntegrityViolation(e) || attempt == MAX_ATTEMPTS) {
                        throw e;
                    }
                    // another writer inserted the key first: its row is there now, update it
                }
            }
        }
    }

    private void createTableIfAbsent() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (tableExists(connection)) {
                return;
            }
            // PostgreSQL has no CLOB (its TEXT holds up to 1 GB); CLOB is the standard's large text (H2, Oracle, DB2)
            String product = connection.getMetaData().getDatabaseProductName();
            String text = product.toLowerCase(Locale.ROOT).contains("postgres") ? "TEXT" : "CLOB";
            try (Statement create = connection.createStatement()) {
                create.executeUpdate(ddl(tableName, text));
            } catch (SQLException e) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                // another replica starting at the same time may have created it first
                if (!tableExists(connection)) {
                    throw new SQLException("Cannot create table " + tableName + " for the state repository",
                            e.getSQLState(), e.getErrorCode(), e);
                }
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

    /** The DDL this repository creates, with {@code textType} for the value (TEXT, CLOB). */
    public static String ddl(String tableName, String textType) {
        return "CREATE TABLE " + tableName + " (state_key VARCHAR(" + MAX_KEY_LENGTH + ") NOT NULL PRIMARY KEY, "
               + "state_value " + textType + " NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)";
    }

    /**
     * A query on the table, rather than the metadata's table list, whose name case (upper on H2, lower on PostgreSQL)
     * and schema search differ by database.
     */
    private boolean tableExists(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try (Statement probe = connection.createStatement()) {
            probe.executeQuery("SELECT state_key FROM " + tableName + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            if (!autoCommit) {
                connection.rollback(); // PostgreSQL refuses the next statement of a transaction after an error
            }
            return false;
        }
    }

    private void checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("Key " + key + " for table " + tableName + " must have 1 to "
                                               + MAX_KEY_LENGTH + " characters");
        }
    }

    private static boolean isIntegrityViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith(INTEGRITY_VIOLATION);
    }

    /** Names the table and the key, never the value. */
    private IllegalStateException failure(String what, String key, SQLException e) {
        return new IllegalStateException("Cannot " + what + " the state of key " + key + " in table " + tableName
                                         + " (SQLState " + e.getSQLState() + ")", e);
    }

    @Override
    public String toString() {
        return "JdbcStateRepository[" + tableName + "]";
    }
}
