package io.github.camelwecom.groupmsg;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a {@link JdbcStateRepository} promises on every database it supports, run by a subclass per database against a
 * real server started once per test class: values come back exactly (large, unicode), a write touches only its key's
 * row, every read goes to the database, and a write that loses the race to insert the key's row still lands.
 */
abstract class JdbcStateRepositoryContract {

    private static final AtomicInteger TABLES = new AtomicInteger();
    /** 64 characters: PostgreSQL would cut it to 63 and use another table than the one named. */
    private static final String TOO_LONG = "t23456789_123456789_123456789_123456789_" + "123456789_123456789_1234";

    /** A fresh table per test, so tests share the database but not rows. */
    String table;
    JdbcStateRepository repository;

    abstract DataSource dataSource();

    /** The value column's type as the database's information schema names it. */
    abstract String expectedValueType();

    /**
     * Whether a session waits for a row another has not committed, asked on a connection of its own: PostgreSQL shows a
     * transaction the activity it saw at its first look, so the inserting one would never see the wait.
     */
    boolean anotherSessionWaitsForTheRow() throws SQLException {
        try (Connection connection = dataSource().getConnection(); Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(waitingInsertsQuery())) {
            r.next();
            return r.getInt(1) > 0;
        }
    }

    /** Counts the other sessions whose INSERT waits for a row. */
    abstract String waitingInsertsQuery();

    @BeforeEach
    void startRepository() {
        table = "state_" + getClass().getSimpleName().toLowerCase() + "_" + TABLES.incrementAndGet();
        repository = new JdbcStateRepository(dataSource(), table);
        repository.start();
    }

    @AfterEach
    void stopRepository() {
        repository.stop();
    }

    @Test
    void roundTripOverwriteAndAbsentKey() throws SQLException {
        assertThat(repository.getState("absent")).isNull();

        repository.setState("k", "{\"passStart\":1}");
        assertThat(repository.getState("k")).isEqualTo("{\"passStart\":1}");

        repository.setState("k", "{\"passStart\":2}");
        assertThat(repository.getState("k")).isEqualTo("{\"passStart\":2}");
        assertThat(rows()).as("one row per key").isEqualTo(1);
        assertThat(repository.getState("absent")).isNull();
    }

    /** A follow-mode checkpoint of a 2,000-member corp is about 1 MB. */
    @Test
    void aValueOfAboutOneMegabyteComesBackWhole() {
        String big = checkpointLike(1_100_000, 7);
        repository.setState("big", big);
        assertThat(repository.getState("big")).isEqualTo(big);

        String bigger = checkpointLike(1_200_000, 8);
        repository.setState("big", bigger);
        assertThat(repository.getState("big")).isEqualTo(bigger);
        assertThat(valueType()).isEqualToIgnoringCase(expectedValueType());
    }

    @Test
    void unicodeKeysAndValuesComeBackExactly() {
        String key = "wecom-groupmsg:result|ww企业|single|2025-09-01|-|张三|2|-|-|Asia/Shanghai";
        String value = "{\"creator\":\"张三\",\"text\":\"群发 🎉 emoji, é (e\\u0301), \\\"quotes\\\", back\\\\slash, "
                + "tab\\t\",\"thai\":\"สวัสดี\",\"rtl\":\"مرحبا\",\"astral\":\"𠜎𠜱\"}\n second line '' ; --";
        repository.setState(key, value);
        assertThat(repository.getState(key)).isEqualTo(value);
        assertThat(repository.getState(key.replace("张三", "李四"))).isNull();
    }

    /** The other rows keep their value and their update time: no whole-table rewrite. */
    @Test
    void aWriteTouchesOnlyItsKeysRow() throws Exception {
        repository.setState("a", "a1");
        repository.setState("b", "b1");
        Object bUpdated = updatedAt("b");

        repository.setState("a", "a2");

        assertThat(repository.getState("b")).isEqualTo("b1");
        assertThat(updatedAt("b")).isEqualTo(bUpdated);
        assertThat(updatedAt("a")).isNotNull();
        assertThat(rows()).isEqualTo(2);
    }

    /** Replicas each have their repository: a read sees what another wrote since, nothing is cached. */
    @Test
    void everyReadGoesToTheDatabase() throws Exception {
        JdbcStateRepository otherReplica = new JdbcStateRepository(dataSource(), table);
        otherReplica.start();
        try {
            repository.setState("k", "v1");
            assertThat(otherReplica.getState("k")).isEqualTo("v1");
            otherReplica.setState("k", "v2");
            assertThat(repository.getState("k")).isEqualTo("v2");
            execute("UPDATE " + table + " SET state_value = 'v3' WHERE state_key = 'k'");
            assertThat(repository.getState("k")).isEqualTo("v3");
            execute("DELETE FROM " + table);
            assertThat(repository.getState("k")).isNull();
        } finally {
            otherReplica.stop();
        }
    }

    /**
     * Another writer inserts the key's row first and commits only once our write is waiting on it: our update found no
     * row, our insert is refused (SQLState class 23), and the write must still land, as an update.
     */
    @Test
    void aWriteThatLosesTheRaceToInsertTheRowLandsAsAnUpdate() throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Connection other = dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement(
                    "INSERT INTO " + table + " (state_key, state_value, state_version, updated_at) "
                            + "VALUES ('k', 'other', 1, CURRENT_TIMESTAMP)")) {
                insert.executeUpdate();
            }
            Future<?> ours = writer.submit(() -> repository.setState("k", "ours"));
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> ours.isDone() || anotherSessionWaitsForTheRow());
            assertThat(ours).as("our write waits for the other writer's uncommitted row").isNotDone();
            other.commit();
            ours.get(1, TimeUnit.MINUTES);
        } finally {
            writer.shutdownNow();
        }
        assertThat(repository.getState("k")).isEqualTo("ours");
        assertThat(rows()).isEqualTo(1);
    }

    /** Many threads writing the same fresh keys at once: none fails, and each key ends with one of their values. */
    @Test
    void simultaneousFirstWritesOfOneKeyAllLand() throws Exception {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int k = 0; k < 20; k++) {
                String key = "fresh-" + k;
                CompletableFuture<?>[] writes = new CompletableFuture<?>[threads];
                for (int t = 0; t < threads; t++) {
                    String value = key + "-from-" + t;
                    writes[t] = CompletableFuture.runAsync(() -> repository.setState(key, value), pool);
                }
                CompletableFuture.allOf(writes).get(1, TimeUnit.MINUTES);
                assertThat(repository.getState(key)).startsWith(key + "-from-");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows()).isEqualTo(20);
    }

    /** Replicas starting at once on a database without the table: each start creates it or finds it created. */
    @Test
    void replicasStartingAtOnceCreateTheTableOnce() throws Exception {
        String fresh = table + "_created";
        List<JdbcStateRepository> replicas = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JdbcStateRepository replica = new JdbcStateRepository(dataSource(), fresh);
                replicas.add(replica);
                starts.add(CompletableFuture.runAsync(replica::start, pool));
            }
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            replicas.get(0).setState("k", "v");
            assertThat(replicas.get(3).getState("k")).isEqualTo("v");
        } finally {
            pool.shutdownNow();
            replicas.forEach(JdbcStateRepository::stop);
        }
    }

    @Test
    void withoutCreateTableAnAbsentTableFailsTheStartAndSaysHowToCreateIt() {
        JdbcStateRepository noCreate = new JdbcStateRepository(dataSource(), table + "_absent");
        noCreate.setCreateTable(false);
        assertThatThrownBy(noCreate::start).hasMessageContaining(table + "_absent")
                .hasMessageContaining("CREATE TABLE").hasMessageContaining("createTable=true");

        JdbcStateRepository existing = new JdbcStateRepository(dataSource(), table);
        existing.setCreateTable(false);
        existing.start();
        existing.setState("k", "v");
        assertThat(repository.getState("k")).isEqualTo("v");
        existing.stop();
    }

    /** A failed write names the table and the key; the value (a checkpoint, up to a megabyte) is in no message. */
    @Test
    void errorsNameTheTableAndTheKeyButNeverTheValue() throws Exception {
        String value = "{\"checkpoint\":\"" + "must-not-be-printed-".repeat(50) + "\"}";
        execute("DROP TABLE " + table);

        assertThatThrownBy(() -> repository.setState("the-key", value)).satisfies(e -> {
            assertThat(e).hasMessageContaining(table).hasMessageContaining("the-key");
            assertThat(stackTrace(e)).doesNotContain("must-not-be-printed");
        });
        assertThatThrownBy(() -> repository.getState("the-key")).hasMessageContaining(table)
                .hasMessageContaining("the-key");
    }

    @ParameterizedTest
    @ValueSource(strings = { "state; DROP TABLE x", "state--", "1state", "a.b.c", "\"quoted\"", "", "my-state",
            "state table", "schema.", TOO_LONG })
    void tableNamesThatAreNotPlainIdentifiersAreRefused(String name) {
        assertThatThrownBy(() -> new JdbcStateRepository(dataSource(), name))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tableName");
    }

    @Test
    void badKeysAndNullValuesAreRefusedWithoutTouchingTheDatabase() {
        assertThatThrownBy(() -> repository.setState("k", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(table);
        assertThatThrownBy(() -> repository.setState("", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> repository.getState("x".repeat(JdbcStateRepository.MAX_KEY_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("512");
        String longest = "键".repeat(JdbcStateRepository.MAX_KEY_LENGTH);
        repository.setState(longest, "v");
        assertThat(repository.getState(longest)).isEqualTo("v");
    }

    /** JSON of about {@code size} characters, like a checkpoint's tracked members, varied by {@code seed}. */
    static String checkpointLike(int size, int seed) {
        StringBuilder json = new StringBuilder(size + 100).append("{\"version\":2,\"tracked\":[");
        for (int i = 0; json.length() < size; i++) {
            json.append(i == 0 ? "" : ",").append("{\"msgid\":\"msg").append(seed).append('-').append(i)
                    .append("\",\"userid\":\"成员").append(i % 2000).append("\",\"digest\":")
                    .append((long) i * 0x9E3779B97F4A7C15L + seed).append('}');
        }
        return json.append("]}").toString();
    }

    /**
     * Fencing: a replica that read a key and was then overtaken by another's write (the corp moved while it had not
     * noticed) has its next write refused, so the new owner's checkpoint stands; reading again makes it the writer.
     */
    @Test
    void aWriteAfterAnotherReplicasWriteIsRefusedUntilTheKeyIsReadAgain() {
        repository.setState("k", "v1");
        JdbcStateRepository other = new JdbcStateRepository(dataSource(), table);
        other.start();
        try {
            assertThat(repository.getState("k")).isEqualTo("v1");
            assertThat(other.getState("k")).isEqualTo("v1");
            other.setState("k", "new-owner");
            other.setState("k", "new-owner-2");

            assertThatThrownBy(() -> repository.setState("k", "stale")).isInstanceOf(StateWriteConflictException.class)
                    .hasMessageContaining("k").hasMessageContaining(table).hasMessageNotContaining("stale");
            assertThat(other.getState("k")).isEqualTo("new-owner-2");
            assertThatThrownBy(() -> repository.setState("k", "stale again"))
                    .isInstanceOf(StateWriteConflictException.class);

            assertThat(repository.getState("k")).isEqualTo("new-owner-2");
            repository.setState("k", "taken back");
            assertThatThrownBy(() -> other.setState("k", "stale")).isInstanceOf(StateWriteConflictException.class);
            assertThat(other.getState("k")).isEqualTo("taken back");
        } finally {
            other.stop();
        }
    }

    /** Two replicas that both read a key as absent: the first insert wins, the other's write is refused. */
    @Test
    void ofTwoReplicasThatReadAKeyAsAbsentTheFirstWriteWins() {
        JdbcStateRepository other = new JdbcStateRepository(dataSource(), table);
        other.start();
        try {
            assertThat(repository.getState("fresh")).isNull();
            assertThat(other.getState("fresh")).isNull();
            other.setState("fresh", "first");
            assertThatThrownBy(() -> repository.setState("fresh", "second"))
                    .isInstanceOf(StateWriteConflictException.class);
            assertThat(repository.getState("fresh")).isEqualTo("first");
        } finally {
            other.stop();
        }
    }

    int rows() throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
        }
    }

    private Object updatedAt(String key) throws SQLException {
        try (Connection c = dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT updated_at FROM " + table + " WHERE state_key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getObject(1) : null;
            }
        }
    }

    private String valueType() {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT data_type FROM information_schema.columns WHERE LOWER(table_name) = '"
                                + table + "' AND LOWER(column_name) = 'state_value'")) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
