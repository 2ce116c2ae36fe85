package io.github.camelwecom.groupmsg.example.javadsl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The java-dsl example against the simulator: a bounded export leaves exactly the ground truth in the table (one row
 * per send result, customers and group chats, an export run again changes nothing), and in follow mode, as the
 * simulator's now and the component's clock move forward and send results go from unsent to sent, each changed result
 * replaces its row, so the table always equals the ground truth as of now.
 */
class SendResultsToH2Test {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final long DAY = 86_400;
    /** The default range, 2025-09-01 .. 2025-12-31T23:59:59 in Asia/Shanghai. */
    private static final long START = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
    private static final long END = LocalDate.parse("2026-01-01").atStartOfDay(ZONE).toEpochSecond() - 1;

    @Test
    void boundedExportsUpsertTheGroundTruth() throws Exception {
        String db = "jdbc:h2:mem:bounded;DB_CLOSE_DELAY=-1";
        GroundTruth truth = DataSet.generate(DataSetSpec.small()).groundTruth();
        ByteArrayOutputStream summary = new ByteArrayOutputStream();

        int single = SendResultsToH2.run(
                Map.of("WECOM_SIMULATOR_DATASET", "small", "WECOM_DB_URL", db), print(summary));
        int group = SendResultsToH2.run(
                Map.of("WECOM_SIMULATOR_DATASET", "small", "WECOM_DB_URL", db, "WECOM_CHAT_TYPE", "group"),
                print(new ByteArrayOutputStream()));
        // the same range again: every row is written again, none added
        int again = SendResultsToH2.run(
                Map.of("WECOM_SIMULATOR_DATASET", "small", "WECOM_DB_URL", db), print(new ByteArrayOutputStream()));

        assertThat(List.of(single, group, again)).containsOnly(0);
        List<JsonNode> expected = Stream.concat(truth.results("single", START, END, null, 2),
                truth.results("group", START, END, null, 2)).map(SendResultsToH2Test::normalized).toList();
        JdbcConnectionPool database = JdbcConnectionPool.create(db, "sa", "");
        try {
            List<JsonNode> rows = rows(database);
            assertThat(rows).hasSameSizeAs(expected);
            assertThat(new HashSet<>(rows)).isEqualTo(new HashSet<>(expected));
            assertThat(SendResultTable.countByLastChange(database)).isEqualTo(Map.of("NEW", (long) expected.size()));
        } finally {
            database.dispose();
        }
        long singles = truth.countResults("single", START, END, null, 2);
        Map<Integer, Long> singleByStatus = truth.results("single", START, END, null, 2)
                .collect(Collectors.groupingBy(r -> r.get("status").asInt(), Collectors.counting()));
        String text = summary.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("rows: " + singles).contains("range read to its end: yes")
                .contains("-> table COMPLETE");
        singleByStatus.forEach((status, count) -> assertThat(text)
                .containsPattern("status " + status + " \\(" + SendResultTable.STATUS.get(status) + "\\) +" + count));
    }

    @Test
    void followModeReplacesTheRowOfAResultWhoseStatusChanged() throws Exception {
        // a month with several messages a day, so that send results are sent while they are followed
        DataSet data = DataSet.generate(DataSetSpec.builder()
                .days(LocalDate.parse("2025-09-01"), LocalDate.parse("2025-09-30")).singleMessages(90)
                .groupMessages(45).members(8).bigMembers(0).typicalCustomers(12).maxChatsPerMember(4).build());
        long now = START + 10 * DAY;
        MovableClock clock = new MovableClock(now);
        JdbcConnectionPool database = JdbcConnectionPool.create("jdbc:h2:mem:follow;DB_CLOSE_DELAY=-1", "sa", "");
        try (WecomSimulator wecom = WecomSimulator.builder().port(0).dataSet(data).now(Instant.ofEpochSecond(now))
                .build().start()) {
            SendResultTable.create(database);
            // tasks settle at most 3 days after their message: tracked for 4 days, every change is seen
            Properties settings = SendResultsToH2.settings(Map.of("WECOM_FOLLOW", "true",
                    "WECOM_TRACK_CHANGES_FOR", "P4D", "WECOM_BASE_URL", wecom.baseUrl(),
                    "WECOM_CORP_ID", WecomSimulator.DEFAULT_CORP_ID,
                    "WECOM_CORP_SECRET", WecomSimulator.DEFAULT_CORP_SECRET));
            settings.setProperty("wecom.poll-delay", "50");
            try (CamelContext context = SendResultsToH2.createContext(settings, database)) {
                context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
                context.start();

                awaitTableEqualsTruthAsOf(database, data, now);
                // rows that held status 0 (not sent) at one step and a sent or failed status at a later one
                Map<String, JsonNode> previous = byKey(rows(database));
                Set<String> sentSince = new HashSet<>();
                for (int step = 0; step < 24; step++) {
                    now += DAY / 3;
                    wecom.setNow(Instant.ofEpochSecond(now));
                    clock.set(now);
                    awaitTableEqualsTruthAsOf(database, data, now);
                    Map<String, JsonNode> current = byKey(rows(database));
                    previous.forEach((key, row) -> {
                        if (row.get("status").asInt() == 0 && current.get(key).get("status").asInt() != 0) {
                            sentSince.add(key);
                        }
                    });
                    previous = current;
                }

                Map<String, JsonNode> last = previous;
                assertThat(sentSince).as("results seen unsent, then sent").isNotEmpty();
                Map<String, String> lastChange = lastChangeByKey(database);
                assertThat(sentSince).allSatisfy(key -> assertThat(lastChange.get(key)).isEqualTo("UPDATED"));
                assertThat(SendResultTable.count(database)).isEqualTo(last.size());
                System.out.printf("follow mode: %d rows, %d replaced after they were sent; by last change %s%n",
                        last.size(), sentSince.size(), SendResultTable.countByLastChange(database));
            }
        } finally {
            database.dispose();
        }
    }

    /** Polls the table until it holds exactly the send results that exist at {@code now}, as they are then. */
    private static void awaitTableEqualsTruthAsOf(DataSource database, DataSet data, long now) throws Exception {
        Set<JsonNode> expected = data.groundTruth().asOf(Instant.ofEpochSecond(now))
                .results("single", START, now, null, 2).map(SendResultsToH2Test::normalized)
                .collect(Collectors.toSet());
        assertThat(expected).isNotEmpty();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        Set<JsonNode> actual = Set.of();
        while (Instant.now().isBefore(deadline)) {
            List<JsonNode> rows = rows(database);
            actual = new HashSet<>(rows);
            if (rows.size() == expected.size() && actual.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        Set<JsonNode> missing = new HashSet<>(expected);
        missing.removeAll(actual);
        Set<JsonNode> extra = new HashSet<>(actual);
        extra.removeAll(expected);
        fail("table at " + Instant.ofEpochSecond(now) + ": " + missing.size() + " expected rows missing or different"
                + " (e.g. " + missing.stream().findFirst().orElse(null) + "), " + extra.size() + " other rows (e.g. "
                + extra.stream().findFirst().orElse(null) + ")");
    }

    /** Every row as the WeCom record it stores, without the '' of an absent external_userid or chat_id. */
    private static List<JsonNode> rows(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs =
                        statement.executeQuery("SELECT msgid, external_userid, chat_id, userid, status, send_time"
                                + " FROM " + SendResultTable.TABLE)) {
            List<JsonNode> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("msgid", rs.getString("msgid"));
                if (!rs.getString("external_userid").isEmpty()) {
                    record.put("external_userid", rs.getString("external_userid"));
                }
                if (!rs.getString("chat_id").isEmpty()) {
                    record.put("chat_id", rs.getString("chat_id"));
                }
                record.put("userid", rs.getString("userid"));
                record.put("status", rs.getInt("status"));
                long sendTime = rs.getLong("send_time");
                if (!rs.wasNull()) {
                    record.put("send_time", sendTime);
                }
                rows.add(normalized(record));
            }
            return rows;
        }
    }

    private static Map<String, String> lastChangeByKey(DataSource database) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs =
                        statement.executeQuery("SELECT msgid, userid, external_userid, chat_id, last_change FROM "
                                + SendResultTable.TABLE)) {
            while (rs.next()) {
                out.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) + "/" + rs.getString(4),
                        rs.getString(5));
            }
        }
        return out;
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> rows) {
        Map<String, JsonNode> out = new HashMap<>();
        rows.forEach(row -> out.put(row.path("msgid").asText() + "/" + row.path("userid").asText() + "/"
                + row.path("external_userid").asText() + "/" + row.path("chat_id").asText(), row));
        return out;
    }

    /** JSON text read back, so that numbers compare by value whatever Java type they came from. */
    private static JsonNode normalized(Object record) {
        try {
            return JSON.readTree(JSON.writeValueAsString(record));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
