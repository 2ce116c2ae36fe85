package io.github.camelwecom.groupmsg.example.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.WecomGroupMsgConstants;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app against its embedded simulator (small data set): once both routes have read the data set's four months, the
 * table holds exactly the simulator's ground truth, one row per send result; {@code /actuator/health} reports Camel,
 * its routes and both consumers UP; and a record that comes again as UPDATED replaces its row.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the simulator, whatever WECOM_CORP_ID / WECOM_CORP_SECRET the environment holds
        "wecom.corp-id=", "wecom.corp-secret=",
        "wecom.simulator.data-set=small",
        "wecom.report.period-ms=200" })
class SendResultSyncApplicationTest {

    @Autowired
    SyncReport report;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    WecomSimulator simulator;
    /** The JDK's client, not TestRestTemplate: that moved to another module and package in Spring Boot 4. */
    @Value("${local.server.port}")
    int port;
    @Autowired
    ProducerTemplate producer;

    @BeforeEach
    void waitForTheSync() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(report::isFinished);
        await().atMost(Duration.ofSeconds(5)).until(() -> report.isComplete() != null);
    }

    @Test
    void tableEqualsTheSimulatorsGroundTruth() {
        DataSetSpec spec = simulator.dataSet().spec();
        ZoneId zone = spec.zone();
        long start = spec.firstDay().atStartOfDay(zone).toEpochSecond();
        long end = spec.lastDay().plusDays(1).atStartOfDay(zone).toEpochSecond() - 1;
        GroundTruth truth = simulator.dataSet().groundTruth();
        List<String> expected = Stream.of("single", "group")
                .flatMap(chatType -> truth.results(chatType, start, end, null, 2).map(r -> row(r, chatType)))
                .toList();
        List<String> rows = jdbc.query("SELECT * FROM " + SyncReport.TABLE, (rs, i) -> String.join("|",
                rs.getString("msgid"), rs.getString("userid"), rs.getString("external_userid"),
                rs.getString("chat_id"), rs.getString("status"), String.valueOf(rs.getObject("send_time")),
                rs.getString("chat_type")));

        assertThat(expected).as("ground truth").hasSizeGreaterThan(1000);
        assertThat(expected).as("ground truth has both chat types")
                .anyMatch(r -> r.endsWith("|group")).anyMatch(r -> r.endsWith("|single"));
        assertThat(rows).as("one row per send result, as the simulator's ground truth has them")
                .hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(report.isComplete()).as("the app's own summary").isTrue();
    }

    @Test
    void actuatorHealthReportsCamelAndBothConsumersUp() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode health = new ObjectMapper().readTree(answer.body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            JsonNode camel = health.path("components").path("camelHealth");
            assertThat(camel.path("status").asText()).isEqualTo("UP");
            assertThat(camel.path("details").path("context").asText()).isEqualTo("UP");
            for (String chatType : SendResultRoutes.CHAT_TYPES) {
                String route = SendResultRoutes.routeId(chatType);
                assertThat(camel.path("details").path("route:" + route).asText()).as(route).isEqualTo("UP");
                assertThat(camel.path("details").path("consumer:" + route).asText()).as(route).isEqualTo("UP");
            }
        });
    }

    @Test
    void aRecordThatComesAgainAsUpdatedReplacesItsRow() {
        Map<String, Object> before = jdbc.queryForMap("SELECT * FROM " + SyncReport.TABLE
                + " WHERE chat_type = 'single' AND status = 1 ORDER BY msgid, userid, external_userid LIMIT 1");
        long rows = countRows();
        try {
            GroupMsgSendResult changed = sendResult(before, 3, ((Number) before.get("SEND_TIME")).longValue() + 60);
            store(changed, before, WecomGroupMsgConstants.CHANGE_UPDATED);

            Map<String, Object> after = jdbc.queryForMap("SELECT * FROM " + SyncReport.TABLE
                    + " WHERE msgid = ? AND userid = ? AND external_userid = ? AND chat_id = ''",
                    before.get("MSGID"), before.get("USERID"), before.get("EXTERNAL_USERID"));
            assertThat(countRows()).as("replaced, not added").isEqualTo(rows);
            assertThat(after.get("STATUS")).isEqualTo(3);
            assertThat(((Number) after.get("SEND_TIME")).longValue()).isEqualTo(changed.getSendTime());
            assertThat(after.get("LAST_CHANGE")).isEqualTo("UPDATED");
            assertThat(after.get("CREATE_TIME")).isEqualTo(before.get("CREATE_TIME"));
        } finally {
            // put the row back as the simulator has it, for the other tests
            store(sendResult(before, (Integer) before.get("STATUS"), ((Number) before.get("SEND_TIME")).longValue()),
                    before, WecomGroupMsgConstants.CHANGE_NEW);
        }
        assertThat(countRows()).isEqualTo(rows);
    }

    private long countRows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + SyncReport.TABLE, Long.class);
    }

    /** What the consumer hands on: a send result with the chat type, create_time and change headers. */
    private void store(GroupMsgSendResult result, Map<String, Object> row, String change) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(WecomGroupMsgConstants.CHAT_TYPE, row.get("CHAT_TYPE"));
        headers.put(WecomGroupMsgConstants.CREATE_TIME, row.get("CREATE_TIME"));
        headers.put(WecomGroupMsgConstants.CHANGE, change);
        producer.sendBodyAndHeaders(SendResultRoutes.STORE, result, headers);
    }

    private static GroupMsgSendResult sendResult(Map<String, Object> row, int status, long sendTime) {
        GroupMsgSendResult result = new GroupMsgSendResult();
        result.setMsgid((String) row.get("MSGID"));
        result.setUserid((String) row.get("USERID"));
        result.setExternalUserid((String) row.get("EXTERNAL_USERID"));
        result.setStatus(status);
        result.setSendTime(sendTime);
        return result;
    }

    /** A ground-truth send result in the table's form: '' for the absent one of external_userid and chat_id. */
    private static String row(JsonNode r, String chatType) {
        return String.join("|", r.path("msgid").asText(), r.path("userid").asText(),
                r.path("external_userid").asText(""), r.path("chat_id").asText(""), r.path("status").asText(),
                r.hasNonNull("send_time") ? r.path("send_time").asText() : "null", chatType);
    }
}
