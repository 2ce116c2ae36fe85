package io.github.camelwecom.groupmsg.simulator;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.simulator.TokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Each API's validation, paging and limits against the ground truth. */
class ApiTest extends SimulatorTestBase {
    private static final long DAY = 86400;
    /** Many messages in one month, so list pages are full at the default limit. */
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small().toBuilder().singleMessages(160)
            .days(LocalDate.of(2025, 9, 1), LocalDate.of(2025, 9, 30)).build());
    private static final GroundTruth TRUTH = DATA.groundTruth();
    private static final long FROM = DATA.startEpochSecond();
    private static final long TO = FROM + 31 * DAY;

    ApiTest() {
        super(DATA);
    }

    @Test
    void listPagesReproduceTheGroundTruthForEveryFilter() {
        String creator = TRUTH.messages("single", FROM, TO, null, 1).findFirst().orElseThrow().get("creator").asText();
        for (String type : List.of("single", "group")) {
            for (int filter = 0; filter <= 2; filter++) {
                for (String who : new String[] { null, creator }) {
                    List<ObjectNode> served = client.pageAll(Api.LIST, token,
                            SimClient.listBody(type, FROM, TO, who, filter, 7), "group_msg_list");
                    assertThat(served).as("%s filter %d creator %s", type, filter, who)
                            .isEqualTo(TRUTH.messages(type, FROM, TO, who, filter).toList());
                }
            }
        }
    }

    @Test
    void listDefaultsAndBoundaries() {
        ObjectNode defaults = SimClient.body().put("start_time", FROM).put("end_time", TO);
        JsonNode page = client.call(Api.LIST, token, defaults);
        assertThat(page.get("group_msg_list")).hasSize(50);
        assertThat(page.get("group_msg_list").get(0))
                .isEqualTo(TRUTH.messages("single", FROM, TO, null, 2).findFirst().get());
        assertThat(page.get("next_cursor").asText()).isNotEmpty();
        for (int limit : new int[] { 0, -3, 101, 1000 }) {
            assertThat(client.call(Api.LIST, token, defaults.deepCopy().put("limit", limit)).get("group_msg_list"))
                    .as("limit %d", limit).hasSize(50);
        }
        assertThat(client.call(Api.LIST, token, defaults.deepCopy().put("limit", 100)).get("group_msg_list"))
                .hasSize(100);
        assertThat(client.call(Api.LIST, token, defaults.deepCopy().put("limit", "3")).get("group_msg_list"))
                .hasSize(3);

        // both ends inclusive
        ObjectNode second = TRUTH.messages("single", FROM, TO, null, 2).skip(1).findFirst().orElseThrow();
        long t = second.get("create_time").asLong();
        JsonNode exact = client.call(Api.LIST, token, SimClient.body().put("start_time", t).put("end_time", t));
        assertThat(exact.get("group_msg_list")).contains(second);
        assertThat(exact.get("next_cursor").asText()).isEmpty();

        JsonNode empty = client.call(Api.LIST, token,
                SimClient.body().put("start_time", FROM - 10 * DAY).put("end_time", FROM - DAY));
        assertThat(empty.get("errcode").asInt()).isZero();
        assertThat(empty.get("group_msg_list")).isEmpty();
        assertThat(empty.get("next_cursor").asText()).isEmpty();
    }

    @Test
    void listRefusesBadTimeRangesAndFields() {
        JsonNode tooLong = client.call(Api.LIST, token,
                SimClient.body().put("start_time", FROM).put("end_time", FROM + 31 * DAY + 1));
        assertThat(tooLong.get("errcode").asInt()).isEqualTo(40058);
        assertThat(tooLong.get("errmsg").asText()).contains("time range");
        assertThat(
                client.call(Api.LIST, token, SimClient.body().put("start_time", FROM).put("end_time", FROM + 31 * DAY))
                        .get("errcode").asInt())
                .isZero();
        JsonNode reversed = client.call(Api.LIST, token, SimClient.body().put("start_time", TO).put("end_time", FROM));
        assertThat(reversed.get("errcode").asInt()).isEqualTo(40058);
        assertThat(reversed.get("errmsg").asText()).contains("time range");
        assertError(client.call(Api.LIST, token, SimClient.body().put("end_time", TO)), 40058,
                "invalid parameter: start_time");
        assertError(client.call(Api.LIST, token, SimClient.body().put("start_time", FROM)), 40058,
                "invalid parameter: end_time");
        assertError(
                client.call(Api.LIST, token,
                        SimClient.body().put("chat_type", "channel").put("start_time", FROM).put("end_time", TO)),
                40058, "invalid parameter: chat_type");
        assertError(SimClient.json(client.post(Api.LIST, token, "{not json")), 47001, "data format error");
        assertError(SimClient.json(client.post(Api.LIST, token, "")), 47001, "data format error");
        assertError(SimClient.json(client.post(Api.LIST, token, "[1,2]")), 47001, "data format error");
    }

    @Test
    void cursorsOnlyWorkWithTheQueryThatIssuedThem() {
        ObjectNode q = SimClient.listBody("single", FROM, TO, null, 2, 5);
        String cursor = client.call(Api.LIST, token, q).get("next_cursor").asText();
        assertThat(cursor).isNotEmpty();
        assertThat(
                client.call(Api.LIST, token, q.deepCopy().put("cursor", cursor).put("limit", 9)).get("errcode").asInt())
                .as("another limit is the same query").isZero();
        assertError(client.call(Api.LIST, token, q.deepCopy().put("cursor", cursor).put("filter_type", 0)), 50100,
                "invalid cursor");
        assertError(client.call(Api.LIST, token, q.deepCopy().put("cursor", cursor).put("end_time", TO - 1)), 50100,
                "invalid cursor");
        assertError(client.call(Api.LIST, token, q.deepCopy().put("cursor", "garbage!")), 50100, "invalid cursor");
        assertError(client.call(Api.LIST, token, q.deepCopy().put("cursor", "AAAAAAAAAAAAAAAA")), 50100,
                "invalid cursor");

        String msgid = bigSingleTask()[0];
        String taskCursor = client.call(Api.TASK, token, SimClient.body().put("msgid", msgid).put("limit", 1))
                .get("next_cursor").asText();
        assertError(client.call(Api.LIST, token, q.deepCopy().put("cursor", taskCursor)), 50100, "invalid cursor");
        String other = TRUTH.messages("single", FROM, TO, null, 2).filter(m -> !m.get("msgid").asText().equals(msgid))
                .filter(m -> TRUTH.countTasks(m.get("msgid").asText()) > 1).findFirst().orElseThrow().get("msgid")
                .asText();
        assertError(client.call(Api.TASK, token, SimClient.body().put("msgid", other).put("cursor", taskCursor)), 50100,
                "invalid cursor");
    }

    @Test
    void taskPagesReproduceTheGroundTruth() {
        for (String type : List.of("single", "group")) {
            TRUTH.messages(type, FROM, TO, null, 2).limit(12).forEach(m -> {
                String msgid = m.get("msgid").asText();
                List<ObjectNode> served = client.pageAll(Api.TASK, token,
                        SimClient.body().put("msgid", msgid).put("limit", 2), "task_list");
                assertThat(served.stream().map(t -> RecordJsonTestSupport.withMsgid(msgid, t)).toList())
                        .isEqualTo(TRUTH.tasks(msgid).toList());
            });
        }
    }

    @Test
    void sendResultsPageAtTheMaximumLimitAndDefaultToFiveHundred() {
        String[] big = bigSingleTask();
        ObjectNode q = SimClient.body().put("msgid", big[0]).put("userid", big[1]);
        long expected = TRUTH.countResults(big[0], big[1]);
        assertThat(expected).isGreaterThan(1000);

        JsonNode first = client.call(Api.RESULT, token, q.deepCopy().put("limit", 1000));
        assertThat(first.get("send_list")).hasSize(1000);
        assertThat(first.get("next_cursor").asText()).isNotEmpty();
        List<ObjectNode> served = client.pageAll(Api.RESULT, token, q.deepCopy().put("limit", 1000), "send_list");
        assertThat(served.stream().map(r -> RecordJsonTestSupport.withMsgid(big[0], r)).toList())
                .isEqualTo(TRUTH.results(big[0], big[1]).toList());

        for (int limit : new int[] { 0, 1001 }) {
            assertThat(client.call(Api.RESULT, token, q.deepCopy().put("limit", limit)).get("send_list")).hasSize(500);
        }
        assertThat(client.call(Api.RESULT, token, q).get("send_list")).hasSize(500);
        JsonNode tasks = client.call(Api.TASK, token, SimClient.body().put("msgid", big[0]).put("limit", 5000));
        assertThat(tasks.get("task_list")).hasSize((int) TRUTH.countTasks(big[0]));
    }

    @Test
    void groupSendResultsAreSentOnlyAndMatchTheTruth() {
        TRUTH.tasks("group", FROM, TO, null, 2).limit(40).forEach(t -> {
            String msgid = t.get("msgid").asText();
            String userid = t.get("userid").asText();
            List<ObjectNode> served = client.pageAll(Api.RESULT, token,
                    SimClient.body().put("msgid", msgid).put("userid", userid).put("limit", 2), "send_list");
            assertThat(served).allSatisfy(r -> {
                assertThat(r.get("status").asInt()).isEqualTo(1);
                assertThat(r.has("chat_id")).isTrue();
                assertThat(r.has("external_userid")).isFalse();
            });
            if (t.get("status").asInt() == 0) {
                assertThat(served).isEmpty();
            }
            assertThat(served.stream().map(r -> RecordJsonTestSupport.withMsgid(msgid, r)).toList())
                    .isEqualTo(TRUTH.results(msgid, userid).toList());
        });
    }

    @Test
    void taskAndResultValidation() {
        assertError(client.call(Api.TASK, token, SimClient.body()), 40058, "invalid parameter: msgid");
        JsonNode unknown = client.call(Api.TASK, token, SimClient.body().put("msgid", "msgNOPE"));
        assertThat(unknown.get("errcode").asInt()).isEqualTo(40058);
        assertThat(unknown.get("errmsg").asText()).contains("msgid").contains("not found");
        String[] big = bigSingleTask();
        assertError(client.call(Api.RESULT, token, SimClient.body().put("msgid", big[0])), 40058,
                "invalid parameter: userid");
        JsonNode stranger =
                client.call(Api.RESULT, token, SimClient.body().put("msgid", big[0]).put("userid", "nobody99"));
        assertThat(stranger.get("errcode").asInt()).isZero();
        assertThat(stranger.get("send_list")).isEmpty();
        assertThat(stranger.get("next_cursor").asText()).isEmpty();
    }

    @Test
    void httpLevelErrors() {
        HttpResponse<String> notFound =
                client.send(HttpRequest.newBuilder(URI.create(client.baseUrl + "/cgi-bin/nope")).GET());
        assertThat(notFound.statusCode()).isEqualTo(404);
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(
                URI.create(client.baseUrl + Api.LIST.path() + "?access_token=" + token)).GET());
        assertThat(get.statusCode()).isEqualTo(200);
        assertError(SimClient.json(get), 43002, "require POST method");
        HttpResponse<String> ok =
                client.post(Api.TASK, token, SimClient.body().put("msgid", bigSingleTask()[0]).toString());
        assertThat(ok.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(ok.headers().firstValue("Error-Code")).hasValue("0");
    }
}
