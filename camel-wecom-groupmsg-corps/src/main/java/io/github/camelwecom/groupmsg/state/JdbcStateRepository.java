package io.github.camelwecom.groupmsg.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.camelwecom.groupmsg.StateWriteConflictException;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A {@link StateRepository} in a database table, for consumers that run on several replicas: each {@link #getState}
 * reads the row again (another replica may have written it since, so nothing is cached), and each {@link #setState}
 * writes only the key's own row, whatever the size of the value (a follow-mode checkpoint of a 2,000-member corp is
 * about 1 MB).
 * <p>
 * Writes are fenced: a key this repository has read is written only if nobody else wrote it since (the row's
 * {@code state_version}, checked in the same {@code UPDATE}); otherwise {@link #setState} throws
 * {@link StateWriteConflictException}. A replica that lost a corp to another, but has not noticed yet, so cannot write
 * over the new owner's checkpoint. A key it never read is written whatever its version.
 * <p>
 * One row per key: {@code state_key VARCHAR(512)} primary key, {@code state_value} (TEXT on PostgreSQL, CLOB elsewhere;
 * tested on PostgreSQL and H2), {@code state_version} (counts the writes) and {@code updated_at} (the database's
 * {@code CURRENT_TIMESTAMP}, so replicas' clocks do not matter). Each statement has a query timeout
 * ({@link #setQueryTimeout}, 10 s by default); how long getting a connection may wait is the pool's setting (keep it
 * short too, a few seconds: a consumer waits on its poll thread meanwhile). The table ({@value #DEFAULT_TABLE_NAME}
 * unless set) is created at start when absent; with {@link #setCreateTable(boolean) createTable} false an absent table
 * fails the start instead (see {@link #ddl}). Plain JDBC: bring the driver and a pooled {@link DataSource}.
 */
public class JdbcStateRepository extends ServiceSupport implements StateRepository<String, String> {

    public static final String DEFAULT_TABLE_NAME = "wecom_groupmsg_state";
    /** Longest key: 512 characters stay within PostgreSQL's B-tree entry limit (2,704 bytes) in any UTF-8. */
    public static final int MAX_KEY_LENGTH = 512;

    /** A plain or schema-qualified SQL identifier: it is put into the SQL text, so nothing else gets in. */
    private static final Pattern TABLE_NAME =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    /** SQLState class 23: integrity constraint violation (here: the key's row was inserted meanwhile). */
    private static final String INTEGRITY_VIOLATION = "23";
    /** Inserts lost to a concurrent insert of the same key before giving up; one is enough unless rows are deleted. */
    private static final int MAX_ATTEMPTS = 5;

    /** The version of a key read as absent: its first write inserts the row, and another writer's insert wins. */
    private static final long ABSENT = 0;

    private DataSource dataSource;
    private String tableName = DEFAULT_TABLE_NAME;
    private boolean createTable = true;
    private int queryTimeout = 10;
    /** Per key: the row's version as this repository last read or wrote it; its writes of a key run one at a time. */
    private final Map<String, Fence> fences = new ConcurrentHashMap<>();

    /** What this repository knows of a key's row: null before it read or wrote it. */
    private static final class Fence {
        Long version;
    }

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
     * The table, optionally schema-qualified ({@code schema.table}): letters, digits and underscores, not starting with
     * a digit, at most 63 characters a part.
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

    public int getQueryTimeout() {
        return queryTimeout;
    }

    /** Seconds a statement may run before the driver gives up (0: no limit); default 10. */
    public void setQueryTimeout(int queryTimeout) {
        this.queryTimeout = queryTimeout;
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

    /** The key's value as the database holds it now, or null when it has none; the next write is fenced by it. */
    @Override
    public String getState(String key) {
        checkKey(key);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = prepare(connection,
                        "SELECT state_value, state_version FROM " + tableName + " WHERE state_key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                Fence fence = fence(key);
                synchronized (fence) {
                    fence.version = row.next() ? row.getLong(2) : ABSENT;
                    return fence.version == ABSENT ? null : row.getString(1);
                }
            }
        } catch (SQLException e) {
            throw failure("read", key, e);
        }
    }

    /**
     * Writes the key's row. A key read or written here before: update where the version is still the one seen, or
     * insert where it was absent; a row another writer changed or inserted meanwhile refuses the write with
     * {@link StateWriteConflictException}. A key never read here: update, then insert if there was none, then update
     * again if a concurrent insert of the same key won (the primary key refuses ours with SQLState class 23). Chosen
     * over the native upserts, which differ by database (PostgreSQL's {@code INSERT ... ON CONFLICT}, H2's
     * {@code MERGE ... KEY}): the same plain SQL is correct on both and on any database with primary keys. Each
     * statement is its own transaction (auto-commit), so the update after a refused insert runs (PostgreSQL refuses
     * every statement after an error in a transaction) and sees the row the other writer committed.
     *
     * @throws StateWriteConflictException when another writer wrote the key since this repository read or wrote it
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
            Fence fence = fence(key);
            synchronized (fence) {
                try {
                    // a failed write leaves the version as it was: whether it landed is not known, and a write
                    // that did land makes the next one a conflict, never a write over another owner's value
                    fence.version = fence.version != null ? fencedWrite(connection, key, value, fence.version)
                            : upsert(connection, key, value);
                } finally {
                    if (!autoCommit) {
                        connection.setAutoCommit(false);
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("write", key, e);
        }
    }

    /** @return the row's new version */
    private long fencedWrite(Connection connection, String key, String value, long seen) throws SQLException {
        if (seen == ABSENT) {
            try (PreparedStatement insert = insert(connection, key, value)) {
                insert.executeUpdate();
                return 1;
            } catch (SQLException e) {
                if (isIntegrityViolation(e)) {
                    throw conflict(key);
                }
                throw e;
            }
        }
        try (PreparedStatement update = prepare(connection, "UPDATE " + tableName + " SET state_value = ?, "
                + "state_version = state_version + 1, updated_at = CURRENT_TIMESTAMP WHERE state_key = ? "
                + "AND state_version = ?")) {
            update.setString(1, value);
            update.setString(2, key);
            update.setLong(3, seen);
            if (update.executeUpdate() == 0) {
                throw conflict(key);
            }
            return seen + 1;
        }
    }

    /** @return the row's version after the write */
    private long upsert(Connection connection, String key, String value) throws SQLException {
        try (PreparedStatement update = prepare(connection, "UPDATE " + tableName + " SET state_value = ?, "
                + "state_version = state_version + 1, updated_at = CURRENT_TIMESTAMP WHERE state_key = ?");
                PreparedStatement insert = insert(connection, key, value);
                PreparedStatement version = prepare(connection,
                        "SELECT state_version FROM " + tableName + " WHERE state_key = ?")) {
            update.setString(1, value);
            update.setString(2, key);
            version.setString(1, key);
            for (int attempt = 1;; attempt++) {
                if (update.executeUpdate() > 0) {
                    try (ResultSet row = version.executeQuery()) {
                        // another writer may have written since: its version fences this repository's next write
                        return row.next() ? row.getLong(1) : ABSENT;
                    }
                }
                try {
                    insert.executeUpdate();
                    return 1;
                } catch (SQLException e) {
                    if (!isIntegrityViolation(e) || attempt == MAX_ATTEMPTS) {
                        throw e;
                    }
                    // another writer inserted the key first: its row is there now, update it
                }
            }
        }
    }

    private PreparedStatement insert(Connection connection, String key, String value) throws SQLException {
        PreparedStatement insert = prepare(connection, "INSERT INTO " + tableName + " (state_key, state_value, "
                + "state_version, updated_at) VALUES (?, ?, 1, CURRENT_TIMESTAMP)");
        insert.setString(1, key);
        insert.setString(2, value);
        return insert;
    }

    private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(queryTimeout);
        return statement;
    }

    private Fence fence(String key) {
        return fences.computeIfAbsent(key, k -> new Fence());
    }

    private StateWriteConflictException conflict(String key) {
        return new StateWriteConflictException(key, "The state of key " + key + " in table " + tableName
                + " was written by another writer since this one read it");
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
                + "state_value " + textType + " NOT NULL, state_version BIGINT NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)";
    }

    /**
     * A query on the table, rather than the metadata's table list, whose name case (upper on H2, lower on PostgreSQL)
     * and schema search differ by database.
     */
    private boolean tableExists(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try (Statement probe = connection.createStatement()) {
            probe.executeQuery("SELECT state_key, state_version FROM " + tableName + " WHERE 1 = 0").close();
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
