package io.github.camelwecom.groupmsg;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What follow mode costs: a send-result consumer reads a member's results only when its task is new or changed (plus
 * the reconciliation of members that can still change), and remembers per message and member, not per delivered send
 * result. The test runs each poll itself ({@code startScheduler=false}) with the simulator's now and the component's
 * clock moved between polls, so what one poll reads is known exactly.
 */
class FollowModeCostTest extends CamelTestSupport {

    private static final long DAY = 86_400;
    private static final long TRACKED = 3 * DAY;
    private static final int LIMIT = 5;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final long RANGE_START = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
    /** A month with several messages a day and members with dozens of customers: many results per member. */
    static final DataSet DATA = DataSet.generate(DataSetSpec.builder()
            .days(LocalDate.parse("2025-09-01"), LocalDate.parse("2025-09-30")).singleMessages(90).groupMessages(10)
            .members(8).bigMembers(0).typicalCustomers(40).build());

    private final WecomSimulator simulator = WecomSimulator.builder().port(0).dataSet(DATA).build().start();
    private final FencingStateRepository state = new FencingStateRepository();
    private final SimulatorTestSupport.Collector got = new SimulatorTestSupport.Collector();
    private MovableClock clock;
    private WecomGroupMsgConsumer consumer;

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    @Test
    void sendResultsAreReadOnlyForMembersWhoseTaskIsNewOrChanged() throws Exception {
        long now = RANGE_START + 10 * DAY;
        start(now, "reconcileInterval=0");
        for (int step = 0; step < 6; step++) {
            long before = now;
            now += DAY / 6;
            long calls = simulator.counters().calls(Api.RESULT);
            poll(now);
            assertThat(simulator.counters().calls(Api.RESULT) - calls)
                    .as("result calls of the poll at %s", Instant.ofEpochSecond(now))
                    .isEqualTo(resultPagesOfChangedMembers(before, now));
        }
        long calls = simulator.counters().calls(Api.RESULT);
        int emitted = got.size();
        poll(now);
        assertThat(simulator.counters().calls(Api.RESULT)).as("result calls when nothing changed").isEqualTo(calls);
        assertThat(got.size()).as("records when nothing changed").isEqualTo(emitted);
    }

    @Test
    void reconciliationFindsAChangeTheTaskDidNotShow() throws Exception {
        long now = RANGE_START + 10 * DAY;
        start(now, "reconcileInterval=PT1H");
        GroundTruth truth = DATA.groundTruth().asOf(Instant.ofEpochSecond(now));
        // a member who has not sent a tracked message, whose results WeCom later says went out (status 3) while the
        // task still says unsent
        ObjectNode task = truth.tasks("single", now + 1 - TRACKED, now, null, 2)
                .filter(t -> t.get("status").asInt() == 0)
                .filter(t -> truth.countResults(t.get("msgid").asText(), t.get("userid").asText()) > 1)
                .findFirst().orElseThrow();
        String msgid = task.get("msgid").asText();
        String userid = task.get("userid").asText();
        long results = truth.countResults(msgid, userid);
        simulator.faults().changeResultsSilently(msgid, userid, 3);
        int emitted = got.size();

        // an hour on, the component's clock only: WeCom shows no change but the silent one
        clock.set(now + 3600);
        SimulatorTestSupport.runPolls(consumer);
        // each of the member's results changed from unsent, so each comes again
        List<Object> after = got.bodies.subList(emitted, got.size());
        assertThat(after).hasSize((int) results);
        for (int i = emitted; i < got.size(); i++) {
            JsonNode record = ExportAssertions.json(got.bodies.get(i));
            assertThat(record.get("msgid").asText()).isEqualTo(msgid);
            assertThat(record.get("userid").asText()).isEqualTo(userid);
            assertThat(record.get("status").asInt()).isEqualTo(3);
            assertThat(got.headers.get(i).get(WecomGroupMsgConstants.CHANGE)).isEqualTo("UPDATED");
        }
        WecomGroupMsgEndpoint endpoint = consumer.getEndpoint();
        // the moment of every tracked member that can still change came in that hour; a settled one is not read
        assertThat(endpoint.getReconciledMembers()).isEqualTo(truth.tasks("single", now + 1 - TRACKED, now, null, 2)
                .filter(t -> t.get("status").asInt() == 0).count());
        assertThat(endpoint.getReconciledChanges()).isEqualTo(1);

        long reconciled = endpoint.getReconciledMembers();
        int settled = got.size();
        SimulatorTestSupport.runPolls(consumer);
        assertThat(got.size()).as("records of a poll at the same now").isEqualTo(settled);
        assertThat(endpoint.getReconciledMembers()).as("reconciled again at the same now").isEqualTo(reconciled);
    }

    @Test
    void theCheckpointGrowsWithMembersNotWithSendResults() throws Exception {
        long now = RANGE_START + 10 * DAY;
        start(now, "");
        GroundTruth truth = DATA.groundTruth().asOf(Instant.ofEpochSecond(now));
        long members = truth.countTasks("single", now + 1 - TRACKED, now, null, 2);
        long results = truth.countResults("single", now + 1 - TRACKED, now, null, 2);
        assertThat(results).as("send results per tracked member").isGreaterThan(20 * members);
        String key = ConsumerCheckpoints.key(consumer.getEndpoint().getOptions());
        long stored = state.keys().stream().filter(k -> k.startsWith(key)).mapToLong(k -> state.getState(k).length())
                .sum();
        // about 21 bytes per member in base64 (all its results unsent: a count), a part header per 32 members, the
        // index and the positions; a hash per send result would be over 8 bytes times 20 per member
        assertThat(stored).isLessThan(40 * members + 2_000);
    }

    private void start(long now, String options) throws Exception {
        clock = new MovableClock(now);
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        context.getRegistry().bind("state", state);
        simulator.setNow(Instant.ofEpochSecond(now));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("wecom-groupmsg:result?baseUrl=" + simulator.baseUrl() + "&corpId="
                        + WecomSimulator.DEFAULT_CORP_ID + "&corpSecret=" + WecomSimulator.DEFAULT_CORP_SECRET
                        + "&startTime=2025-09-01&chatType=single&limit=" + LIMIT + "&startScheduler=false"
                        + "&stateRepository=#state" + (options.isEmpty() ? "" : "&" + options))
                        .routeId("follow").process(got::add);
            }
        });
        consumer = (WecomGroupMsgConsumer) context.getRoute("follow").getConsumer();
        SimulatorTestSupport.runPolls(consumer);
        assertThat(consumer.getCompleteUpTo()).as("first pass").isEqualTo(now);
    }

    /** One poll at {@code now}, as the scheduler would run it: it goes on while the pass has records. */
    private void poll(long now) {
        simulator.setNow(Instant.ofEpochSecond(now));
        clock.set(now);
        SimulatorTestSupport.runPolls(consumer);
        assertThat(consumer.getCompleteUpTo()).as("the poll read up to now").isEqualTo(now);
    }

    /**
     * The result pages a poll at {@code now} needs after one at {@code before}: those of each member of a message it
     * lists whose task is new (the message came since) or was sent since.
     */
    private static long resultPagesOfChangedMembers(long before, long now) {
        GroundTruth truth = DATA.groundTruth().asOf(Instant.ofEpochSecond(now));
        return truth.tasks("single", before + 1 - TRACKED, now, null, 2)
                .filter(t -> createTime(truth, t) > before || t.path("send_time").asLong(0) > before)
                .mapToLong(t -> Math.max(1, (truth.countResults(t.get("msgid").asText(), t.get("userid").asText())
                        + LIMIT - 1) / LIMIT))
                .sum();
    }

    private static long createTime(GroundTruth truth, ObjectNode task) {
        String msgid = task.get("msgid").asText();
        return truth.messages("single", RANGE_START, DATA.endEpochSecond(), null, 2)
                .filter(m -> m.get("msgid").asText().equals(msgid)).findFirst().orElseThrow()
                .get("create_time").asLong();
    }
}
