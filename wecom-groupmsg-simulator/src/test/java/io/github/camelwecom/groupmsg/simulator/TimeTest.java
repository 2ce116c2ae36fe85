package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.simulator.TokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Statuses change at each task's send time; the simulator serves them as of its now, and the ground truth agrees. */
class TimeTest extends SimulatorTestBase {
    private static final long HOUR = 3600;
    private static final long DAY = 86400;
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    private static final GroundTruth SETTLED = DATA.groundTruth();
    private static final long FROM = DATA.startEpochSecond();
    private static final long TO = DATA.endEpochSecond();

    TimeTest() {
        super(DATA);
    }

    @AfterEach
    void realClock() {
        sim.clearNow();
    }

    @Test
    void byDefaultTheRealClockRulesAndThe2025DataIsSettled() {
        assertThat(sim.isNowFixed()).isFalse();
        assertThat(sim.now()).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(5));
        assertThat(SETTLED.now()).isEmpty();
        assertThat(exportAll("single", sim)).isEqualTo(truth(SETTLED, "single"));
        assertThat(exportAll("group", sim)).isEqualTo(truth(SETTLED, "group"));

        GroundTruth later = SETTLED.asOf(Instant.parse("2030-01-01T00:00:00Z"));
        for (String type : List.of("single", "group")) {
            assertThat(truth(later, type)).isEqualTo(truth(SETTLED, type));
        }
        GroundTruth before = SETTLED.asOf(Instant.ofEpochSecond(FROM - 1));
        assertThat(before.countMessages("single", FROM, TO, null, 2)).isZero();
        assertThat(before.results("group", FROM, TO, null, 2)).isEmpty();
        assertThat(later.settled()).isSameAs(SETTLED);
    }

    @Test
    void aSingleChatTaskAndItsResultsAreUnsentUntilTheSendTime() {
        ObjectNode task = sentTask("single", 2 * HOUR);
        String msgid = task.get("msgid").asText();
        String userid = task.get("userid").asText();
        long sendTime = task.get("send_time").asLong();

        sim.setNow(Instant.ofEpochSecond(sendTime - 1));
        JsonNode before = taskOf(msgid, userid);
        assertThat(before.get("status").asInt()).isZero();
        assertThat(before.has("send_time")).isFalse();
        List<ObjectNode> unsent = results(msgid, userid);
        assertThat(unsent).hasSize((int) SETTLED.countResults(msgid, userid)).allSatisfy(r -> {
            assertThat(r.get("status").asInt()).isZero();
            assertThat(r.has("send_time")).isFalse();
        });

        sim.setNow(Instant.ofEpochSecond(sendTime));
        assertThat(RecordJsonTestSupport.withMsgid(msgid, (ObjectNode) taskOf(msgid, userid))).isEqualTo(task);
        List<ObjectNode> sent = results(msgid, userid);
        assertThat(sent).isEqualTo(SETTLED.results(msgid, userid).toList());
        assertThat(sent).anySatisfy(r -> assertThat(r.get("send_time").asLong()).isEqualTo(sendTime));
        // the same customers in the same order, only status and send_time moved on
        assertThat(sent).extracting(r -> r.get("external_userid"))
                .isEqualTo(unsent.stream().map(r -> r.get("external_userid")).toList());
    }

    @Test
    void aGroupChatTaskHasNoResultsUntilTheSendTime() {
        ObjectNode task = SETTLED.tasks("group", FROM, TO, null, 2)
                .filter(t -> t.get("status").asInt() == 2
                        && SETTLED.countResults(t.get("msgid").asText(), t.get("userid").asText()) > 0)
                .findFirst().orElseThrow();
        String msgid = task.get("msgid").asText();
        String userid = task.get("userid").asText();
        long sendTime = task.get("send_time").asLong();

        sim.setNow(Instant.ofEpochSecond(sendTime - 1));
        assertThat(taskOf(msgid, userid).get("status").asInt()).isZero();
        assertThat(results(msgid, userid)).isEmpty();
        assertThat(SETTLED.asOf(sim.now()).countResults(msgid, userid)).isZero();

        sim.setNow(Instant.ofEpochSecond(sendTime));
        assertThat(results(msgid, userid)).isNotEmpty().isEqualTo(SETTLED.results(msgid, userid).toList());
    }

    @Test
    void messagesCreatedAfterNowDoNotExistYet() {
        ObjectNode m = SETTLED.messages("single", FROM, TO, null, 2).skip(5).findFirst().orElseThrow();
        String msgid = m.get("msgid").asText();
        long created = m.get("create_time").asLong();
        ObjectNode list = SimClient.listBody("single", created - DAY, created + DAY, null, 2, 100);

        sim.setNow(Instant.ofEpochSecond(created - 1));
        assertThat(client.call(Api.LIST, token, list).get("group_msg_list")).doesNotContain(m);
        JsonNode unknown = client.call(Api.TASK, token, SimClient.body().put("msgid", msgid));
        assertThat(unknown.get("errcode").asInt()).isEqualTo(40058);
        assertThat(unknown.get("errmsg").asText()).contains("msgid not found");
        assertThat(SETTLED.asOf(sim.now()).tasks(msgid)).isEmpty();

        sim.setNow(Instant.ofEpochSecond(created));
        assertThat(client.call(Api.LIST, token, list).get("group_msg_list")).contains(m);
        List<ObjectNode> tasks = client.pageAll(Api.TASK, token, SimClient.body().put("msgid", msgid), "task_list");
        assertThat(tasks).isNotEmpty().allSatisfy(t -> assertThat(t.get("status").asInt()).isZero());
        assertError(client.call(Api.TASK, token, SimClient.body().put("msgid", "msgNOPE")), 40058,
                "invalid parameter: msgid not found");
    }

    @Test
    void anExportAtAnyNowEqualsTheTruthAsOfThen() {
        // mid-campaign instants: right after messages were created, while their tasks are being sent
        List<Instant> nows = new ArrayList<>();
        for (int k : new int[] { 3, 12, 25 }) {
            long created = SETTLED.messages("single", FROM, TO, null, 2).skip(k).findFirst().orElseThrow()
                    .get("create_time").asLong();
            nows.add(Instant.ofEpochSecond(created + HOUR));
        }
        nows.add(Instant.ofEpochSecond(TO - 2 * DAY));
        boolean sawUnsettled = false;
        for (Instant now : nows) {
            sim.setNow(now);
            GroundTruth asOf = SETTLED.asOf(now);
            assertThat(asOf.now()).hasValue(now);
            for (String type : List.of("single", "group")) {
                Map<String, List<ObjectNode>> served = exportAll(type, sim);
                Map<String, List<ObjectNode>> expected = truth(asOf, type);
                assertThat(served).as("%s at %s", type, now).isEqualTo(expected);
                assertThat(asOf.countResults(type, FROM, TO, null, 2)).isEqualTo(expected.get("results").size());
                sawUnsettled |= !expected.equals(truth(SETTLED, type, now.getEpochSecond()));
            }
        }
        assertThat(sawUnsettled).as("some record not yet in its final state").isTrue();
    }

    @Test
    void onlyRecordsWhoseFinalStateDiffersChangeAndThenOnlyOnce() {
        List<ObjectNode> finalTasks = SETTLED.tasks("single", FROM, TO, null, 2).toList();
        Map<String, ObjectNode> byKey = new HashMap<>();
        finalTasks.forEach(t -> byKey.put(t.get("msgid").asText() + "/" + t.get("userid").asText(), t));
        long mid = sentTask("single", 2 * HOUR).get("send_time").asLong() - 1;
        GroundTruth asOf = SETTLED.asOf(Instant.ofEpochSecond(mid));
        int unsettled = 0;
        for (ObjectNode t : asOf.tasks("single", FROM, TO, null, 2).toList()) {
            ObjectNode fin = byKey.get(t.get("msgid").asText() + "/" + t.get("userid").asText());
            boolean settled = fin.get("status").asInt() == 0 || fin.get("send_time").asLong() <= mid;
            if (settled) {
                assertThat(t).isEqualTo(fin);
            } else {
                unsettled++;
                assertThat(t.get("status").asInt()).isZero();
                assertThat(t.has("send_time")).isFalse();
            }
        }
        assertThat(unsettled).as("tasks created by %d and sent after it", mid).isPositive();
        assertThat(asOf.results("single", FROM, TO, null, 2).filter(r -> r.get("status").asInt() != 0))
                .allSatisfy(r -> assertThat(r.path("send_time").asLong(0)).isLessThanOrEqualTo(mid));
    }

    @Test
    void sendTimesSpreadFromMinutesToDaysAfterCreation() {
        List<Long> delays = new ArrayList<>();
        for (String type : List.of("single", "group")) {
            SETTLED.messages(type, FROM, TO, null, 2).forEach(m -> SETTLED.tasks(m.get("msgid").asText())
                    .filter(t -> t.get("status").asInt() == 2)
                    .forEach(t -> delays.add(t.get("send_time").asLong() - m.get("create_time").asLong())));
        }
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(30L, 3 * DAY));
        assertThat(delays).anySatisfy(d -> assertThat(d).isLessThan(HOUR));
        assertThat(delays).anySatisfy(d -> assertThat(d).isGreaterThan(DAY));
    }

    @Test
    void nowCanBeFixedAdvancedAndCleared() {
        Instant t = Instant.parse("2025-10-01T04:00:00Z");
        sim.setNow(t);
        assertThat(sim.isNowFixed()).isTrue();
        assertThat(sim.now()).isEqualTo(t);
        sim.advanceNow(Duration.ofHours(5));
        assertThat(sim.now()).isEqualTo(t.plusSeconds(5 * HOUR));
        sim.clearNow();
        assertThat(sim.isNowFixed()).isFalse();
        try (WecomSimulator fixed = WecomSimulator.builder().dataSet(DATA).now(t).build()) {
            assertThat(fixed.now()).isEqualTo(t);
        }
    }

    /** The first task of {@code type} sent at least {@code minDelay} seconds after its message was created. */
    private static ObjectNode sentTask(String type, long minDelay) {
        return SETTLED.messages(type, FROM, TO, null, 2).flatMap(m -> SETTLED.tasks(m.get("msgid").asText())
                .filter(t -> t.get("status").asInt() == 2
                        && t.get("send_time").asLong() - m.get("create_time").asLong() >= minDelay))
                .findFirst().orElseThrow();
    }

    private JsonNode taskOf(String msgid, String userid) {
        return client.pageAll(Api.TASK, token, SimClient.body().put("msgid", msgid).put("limit", 1000), "task_list")
                .stream()
                .filter(t -> t.get("userid").asText().equals(userid)).findFirst().orElseThrow();
    }

    private List<ObjectNode> results(String msgid, String userid) {
        return client.pageAll(Api.RESULT, token,
                SimClient.body().put("msgid", msgid).put("userid", userid).put("limit", 1000),
                "send_list").stream().map(r -> RecordJsonTestSupport.withMsgid(msgid, r)).toList();
    }

    /** Messages, tasks and results of the whole data set, paged over HTTP window by window. */
    static Map<String, List<ObjectNode>> exportAll(String type, WecomSimulator target) {
        SimClient c = new SimClient(target);
        String t = c.token();
        List<ObjectNode> messages = new ArrayList<>();
        List<ObjectNode> tasks = new ArrayList<>();
        List<ObjectNode> results = new ArrayList<>();
        for (long start = FROM; start <= TO; start += 31 * DAY) {
            long end = Math.min(start + 31 * DAY - 1, TO);
            messages.addAll(
                    c.pageAll(Api.LIST, t, SimClient.listBody(type, start, end, null, 2, 100), "group_msg_list"));
        }
        for (ObjectNode m : messages) {
            String msgid = m.get("msgid").asText();
            for (ObjectNode task : c.pageAll(Api.TASK, t, SimClient.body().put("msgid", msgid).put("limit", 1000),
                    "task_list")) {
                tasks.add(RecordJsonTestSupport.withMsgid(msgid, task));
                c.pageAll(Api.RESULT, t, SimClient.body().put("msgid", msgid).put("userid", task.get("userid").asText())
                        .put("limit", 1000), "send_list")
                        .forEach(r -> results.add(RecordJsonTestSupport.withMsgid(msgid, r)));
            }
        }
        return Map.of("messages", messages, "tasks", tasks, "results", results);
    }

    private static Map<String, List<ObjectNode>> truth(GroundTruth truth, String type) {
        return truth(truth, type, TO);
    }

    private static Map<String, List<ObjectNode>> truth(GroundTruth truth, String type, long to) {
        return Map.of("messages", truth.messages(type, FROM, to, null, 2).toList(),
                "tasks", truth.tasks(type, FROM, to, null, 2).toList(),
                "results", truth.results(type, FROM, to, null, 2).toList());
    }
}
