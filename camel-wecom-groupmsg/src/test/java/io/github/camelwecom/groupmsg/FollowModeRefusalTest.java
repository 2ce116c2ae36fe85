package io.github.camelwecom.groupmsg;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Follow mode and a member whose send results WeCom refuses for a while: the passes leave the member to its retry, the
 * retry reads its results once WeCom answers, and across every poll each send result is emitted NEW once and again only
 * when it changed. The test runs each poll itself with the simulator's now and the component's clock.
 */
class FollowModeRefusalTest extends CamelTestSupport {

    private static final long HOUR = 3_600;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final long RANGE_START = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
    /** A month with several messages a day and dozens of results per member, as the cost test has. */
    private static final DataSet DATA = FollowModeCostTest.DATA;

    private final WecomSimulator simulator = WecomSimulator.builder().port(0).dataSet(DATA).build().start();
    private final MemoryStateRepository state = new MemoryStateRepository();
    private final SimulatorTestSupport.Collector got = new SimulatorTestSupport.Collector();
    private MovableClock clock;

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    @Test
    void aRefusedMemberIsReadOnceByItsRetryAndNeverTwice() throws Exception {
        long now = RANGE_START + 10 * 24 * HOUR;
        GroundTruth truth = DATA.groundTruth().asOf(Instant.ofEpochSecond(now));
        // a member who sent a message created in the tracked span, with several results
        ObjectNode task = truth.tasks("single", now - 2 * 24 * HOUR, now, null, 2)
                .filter(t -> t.get("status").asInt() == 2)
                .filter(t -> truth.countResults(t.get("msgid").asText(), t.get("userid").asText()) > 5)
                .findFirst().orElseThrow();
        String msgid = task.get("msgid").asText();
        String userid = task.get("userid").asText();
        simulator.faults().refuse(Api.RESULT, msgid, userid, 60011, "no privilege");

        clock = new MovableClock(now);
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        context.getRegistry().bind("state", state);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("wecom-groupmsg:result?baseUrl=" + simulator.baseUrl() + "&corpId="
                        + WecomSimulator.DEFAULT_CORP_ID + "&corpSecret=" + WecomSimulator.DEFAULT_CORP_SECRET
                        + "&startTime=2025-09-01&chatType=single&limit=5&startScheduler=false&reconcileInterval=0"
                        + "&stateRepository=#state").routeId("follow").process(got::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("follow").getConsumer();

        poll(consumer, now);
        assertThat(consumer.getEndpoint().getUnreadable()).isEqualTo(1);
        assertThat(ofMember(msgid, userid)).isEmpty();
        now += HOUR;
        poll(consumer, now);
        assertThat(ofMember(msgid, userid)).as("still refused").isEmpty();

        simulator.faults().allow(Api.RESULT, msgid, userid);
        now += HOUR;
        poll(consumer, now);
        assertThat(consumer.getEndpoint().getUnreadable()).isZero();
        long results = DATA.groundTruth().asOf(Instant.ofEpochSecond(now)).countResults(msgid, userid);
        assertThat(ofMember(msgid, userid)).hasSize((int) results).allMatch(i -> "NEW".equals(change(i)));
        for (int step = 0; step < 3; step++) {
            now += 6 * HOUR;
            poll(consumer, now);
        }
        assertThat(ofMember(msgid, userid)).as("read by the passes again").hasSize((int) results);

        // every send result as it is now, each content once, the first time NEW and then only UPDATED
        GroundTruth end = DATA.groundTruth().asOf(Instant.ofEpochSecond(now));
        Map<String, JsonNode> last = new HashMap<>();
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < got.size(); i++) {
            JsonNode record = ExportAssertions.json(got.bodies.get(i));
            assertThat(seen.add(record)).as("emitted twice: %s", record).isTrue();
            String key = record.get("msgid").asText() + " " + record.get("userid").asText() + " "
                    + record.get("external_userid").asText();
            assertThat(change(i)).as("change of %s", record).isEqualTo(last.containsKey(key) ? "UPDATED" : "NEW");
            last.put(key, record);
        }
        List<JsonNode> expected = ExportAssertions.json(end.results("single", RANGE_START, now, null, 2).toList());
        assertThat(last.values()).containsExactlyInAnyOrderElementsOf(expected);
    }

    private List<Integer> ofMember(String msgid, String userid) {
        return IntStream.range(0, got.size()).boxed()
                .filter(i -> msgid.equals(got.headers.get(i).get(WecomGroupMsgConstants.MSG_ID))
                        && userid.equals(got.headers.get(i).get(WecomGroupMsgConstants.USER_ID)))
                .toList();
    }

    private Object change(int i) {
        return got.headers.get(i).get(WecomGroupMsgConstants.CHANGE);
    }

    private void poll(WecomGroupMsgConsumer consumer, long now) {
        simulator.setNow(Instant.ofEpochSecond(now));
        clock.set(now);
        SimulatorTestSupport.runPolls(consumer);
        assertThat(consumer.getCompleteUpTo()).as("the poll read up to now").isEqualTo(now);
    }
}
