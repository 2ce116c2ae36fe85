package io.github.camelwecom.groupmsg.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WeCom delivers asynchronously: with a delivery delay a task says sent at its send_time while its send results still
 * say 0 until they settle. The server and the ground truth as of each now agree.
 */
class DeliveryTest extends SimulatorTestBase {
    private static final long DELAY = 2;
    private static final long JITTER = 5;
    private static final DataSetSpec SPEC = DataSetSpec.small().toBuilder().deliveryDelaySeconds(DELAY).build();
    private static final DataSet DATA = DataSet.generate(SPEC);
    private static final GroundTruth SETTLED = DATA.groundTruth();
    private static final long FROM = DATA.startEpochSecond();
    private static final long TO = DATA.endEpochSecond();

    DeliveryTest() {
        super(DATA);
    }

    @AfterEach
    void realClock() {
        sim.clearNow();
    }

    @Test
    void aSentTaskSaysSentWhileItsResultsSay0UntilTheDelayHasPassed() {
        ObjectNode task = sentTask("single");
        String msgid = task.get("msgid").asText();
        String userid = task.get("userid").asText();
        long sendTime = task.get("send_time").asLong();
        List<ObjectNode> settled = SETTLED.results(msgid, userid).toList();
        assertThat(settled).anySatisfy(r -> assertThat(r.get("send_time").asLong()).isEqualTo(sendTime));
        assertThat(SETTLED.settleTime(msgid, userid)).isEqualTo(sendTime + DELAY);

        for (long now = sendTime; now < sendTime + DELAY; now++) {
            setNow(now);
            assertThat(taskOf(client, token, msgid, userid)).isEqualTo(task);
            List<ObjectNode> served = results(client, token, msgid, userid);
            assertThat(served).hasSameSizeAs(settled).allSatisfy(DeliveryTest::assertUnsent);
            assertThat(served).isEqualTo(SETTLED.asOf(sim.now()).results(msgid, userid).toList());
            // the same customers in the same order, only status and send_time move on
            assertThat(served).extracting(r -> r.get("external_userid"))
                    .isEqualTo(settled.stream().map(r -> r.get("external_userid")).toList());
        }
        for (long now : new long[] { sendTime + DELAY, sendTime + DELAY + 3600 }) {
            setNow(now);
            assertThat(results(client, token, msgid, userid)).isEqualTo(settled)
                    .isEqualTo(SETTLED.asOf(sim.now()).results(msgid, userid).toList());
        }
    }

    @Test
    void aGroupChatIsListedUnsentFromTheTaskSendTimeUntilItSettles() {
        ObjectNode task = sentTask("group");
        String msgid = task.get("msgid").asText();
        String userid = task.get("userid").asText();
        long sendTime = task.get("send_time").asLong();
        List<ObjectNode> settled = SETTLED.results(msgid, userid).toList();

        setNow(sendTime - 1);
        assertThat(taskOf(client, token, msgid, userid).get("status").asInt()).isZero();
        assertThat(results(client, token, msgid, userid)).isEmpty();
        for (long now = sendTime; now < sendTime + DELAY; now++) {
            setNow(now);
            assertThat(taskOf(client, token, msgid, userid)).isEqualTo(task);
            List<ObjectNode> served = results(client, token, msgid, userid);
            assertThat(served).allSatisfy(DeliveryTest::assertUnsent).extracting(r -> r.get("chat_id"))
                    .isEqualTo(settled.stream().map(r -> r.get("chat_id")).toList());
            assertThat(served).isEqualTo(SETTLED.asOf(sim.now()).results(msgid, userid).toList());
        }
        setNow(sendTime + DELAY);
        assertThat(results(client, token, msgid, userid)).isEqualTo(settled)
                .allSatisfy(r -> assertThat(r.get("status").asInt()).isEqualTo(SendResults.SENT));
    }

    @Test
    void anExportWhileResultsAreUnderwayEqualsTheTruthAsOfThen() {
        boolean sawUndelivered = false;
        for (String type : List.of("single", "group")) {
            long now = sentTask(type).get("send_time").asLong() + 1;
            setNow(now);
            GroundTruth asOf = SETTLED.asOf(sim.now());
            Map<String, List<ObjectNode>> served = TimeTest.exportAll(type, sim);
            assertThat(served.get("messages")).isEqualTo(asOf.messages(type, FROM, TO, null, 2).toList());
            assertThat(served.get("tasks")).isEqualTo(asOf.tasks(type, FROM, TO, null, 2).toList());
            assertThat(served.get("results")).isEqualTo(asOf.results(type, FROM, TO, null, 2).toList());
            assertThat(asOf.countResults(type, FROM, TO, null, 2)).isEqualTo(served.get("results").size());
            sawUndelivered |= served.get("results").stream().anyMatch(r -> r.get("status").asInt() == 0
                    && SETTLED.settleTime(r.get("msgid").asText(), r.get("userid").asText()) == now + 1);
        }
        assertThat(sawUndelivered).as("a result of a sent task still says 0").isTrue();
    }

    @Test
    void jitterSpreadsSettleTimesOverTheDelayToDelayPlusJitterTheSameForTheSameSeed() {
        DataSetSpec spec = SPEC.toBuilder().deliveryJitterSeconds(JITTER).build();
        GroundTruth truth = DataSet.generate(spec).groundTruth();
        ObjectNode task = truth.tasks("single", FROM, TO, null, 2).filter(t -> t.get("status").asInt() == 2)
                .max(Comparator.comparingLong(
                        t -> truth.countResults(t.get("msgid").asText(), t.get("userid").asText())))
                .orElseThrow();
        String msgid = task.get("msgid").asText();
        String userid = task.get("userid").asText();
        long sendTime = task.get("send_time").asLong();
        Map<String, Long> settledAfter = servedSettleDelays(DataSet.generate(spec), msgid, userid, sendTime);

        assertThat(settledAfter).hasSize((int) truth.countResults(msgid, userid)).hasSizeGreaterThan(1000);
        assertThat(new TreeSet<>(settledAfter.values()))
                .containsExactlyElementsOf(LongStream.rangeClosed(DELAY, DELAY + JITTER).boxed().toList());
        assertThat(truth.settleTime(msgid, userid)).isEqualTo(sendTime + DELAY + JITTER);
        GroundTruth again = DataSet.generate(spec).groundTruth();
        for (long now = sendTime; now <= sendTime + DELAY + JITTER; now++) {
            Instant at = Instant.ofEpochSecond(now);
            assertThat(again.asOf(at).results(msgid, userid).toList())
                    .isEqualTo(truth.asOf(at).results(msgid, userid).toList());
        }
    }

    @Test
    void byDefaultResultsSettleWithTheirTask() {
        assertThat(DataSetSpec.small().deliveryDelaySeconds()).isZero();
        assertThat(DataSetSpec.small().deliveryJitterSeconds()).isZero();
        GroundTruth plain = DataSet.generate(DataSetSpec.small()).groundTruth();
        for (String type : List.of("single", "group")) {
            plain.tasks(type, FROM, TO, null, 2).forEach(t -> assertThat(
                    plain.settleTime(t.get("msgid").asText(), t.get("userid").asText()))
                    .isEqualTo(t.path("send_time").asLong(0)));
            // a delay changes when results settle, never what they settle to
            assertThat(plain.results(type, FROM, TO, null, 2).toList())
                    .isEqualTo(SETTLED.results(type, FROM, TO, null, 2).toList());
        }
    }

    @Test
    void theSpecValidatesAndCopiesTheDelivery() {
        DataSetSpec jittered = SPEC.toBuilder().deliveryJitterSeconds(JITTER).build();
        assertThat(jittered.toBuilder().build()).isEqualTo(jittered);
        assertThat(jittered.withSeed(7).deliveryDelaySeconds()).isEqualTo(DELAY);
        assertThat(jittered.withSeed(7).deliveryJitterSeconds()).isEqualTo(JITTER);
        assertThatThrownBy(() -> DataSetSpec.small().toBuilder().deliveryDelaySeconds(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryDelaySeconds");
        assertThatThrownBy(() -> DataSetSpec.small().toBuilder().deliveryJitterSeconds(Integer.MAX_VALUE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryJitterSeconds");
        assertThat(SETTLED.settleTime(unsentTask().get("msgid").asText(), unsentTask().get("userid").asText()))
                .isZero();
    }

    /**
     * Per external_userid, how many seconds after the task's send time the served result first had its final status.
     */
    private static Map<String, Long> servedSettleDelays(DataSet data, String msgid, String userid, long sendTime) {
        Map<String, Long> settledAfter = new HashMap<>();
        try (WecomSimulator jittered = WecomSimulator.builder().dataSet(data).build().start()) {
            SimClient c = new SimClient(jittered);
            String t = c.token();
            for (long now = sendTime; now <= sendTime + DELAY + JITTER; now++) {
                jittered.setNow(Instant.ofEpochSecond(now));
                List<ObjectNode> served = results(c, t, msgid, userid);
                assertThat(served).isEqualTo(data.groundTruth().asOf(jittered.now()).results(msgid, userid).toList());
                long after = now - sendTime;
                served.stream().filter(r -> r.get("status").asInt() != 0)
                        .forEach(r -> settledAfter.putIfAbsent(r.get("external_userid").asText(), after));
            }
        }
        return settledAfter;
    }

    private void setNow(long epochSecond) {
        sim.setNow(Instant.ofEpochSecond(epochSecond));
    }

    private static void assertUnsent(ObjectNode r) {
        assertThat(r.get("status").asInt()).isZero();
        assertThat(r.has("send_time")).isFalse();
    }

    /** The first sent task of {@code type} with send results. */
    private static ObjectNode sentTask(String type) {
        return SETTLED.tasks(type, FROM, TO, null, 2).filter(t -> t.get("status").asInt() == 2
                && SETTLED.countResults(t.get("msgid").asText(), t.get("userid").asText()) > 0)
                .findFirst().orElseThrow();
    }

    private static ObjectNode unsentTask() {
        return SETTLED.tasks("single", FROM, TO, null, 2).filter(t -> t.get("status").asInt() == 0).findFirst()
                .orElseThrow();
    }

    private static ObjectNode taskOf(SimClient c, String t, String msgid, String userid) {
        return c.pageAll(Api.TASK, t, SimClient.body().put("msgid", msgid).put("limit", 1000), "task_list").stream()
                .filter(task -> task.get("userid").asText().equals(userid))
                .map(task -> RecordJsonTestSupport.withMsgid(msgid, task)).findFirst().orElseThrow();
    }

    private static List<ObjectNode> results(SimClient c, String t, String msgid, String userid) {
        List<ObjectNode> out = new ArrayList<>();
        c.pageAll(Api.RESULT, t, SimClient.body().put("msgid", msgid).put("userid", userid).put("limit", 1000),
                "send_list").forEach(r -> out.add(RecordJsonTestSupport.withMsgid(msgid, r)));
        return out;
    }
}
