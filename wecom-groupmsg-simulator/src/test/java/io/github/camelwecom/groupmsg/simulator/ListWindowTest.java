package io.github.camelwecom.groupmsg.simulator;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.simulator.TokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two readings of get_groupmsg_list_v2's time range the simulator can take: end_time inclusive (default) or
 * exclusive, and start_time == end_time listed (default) or refused. Messages sit on whole hours, so window edges fall
 * exactly on them.
 */
class ListWindowTest extends SimulatorTestBase {
    private static final long HOUR = 3600;
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small().toBuilder().createTimeStep(HOUR).build());
    private static final GroundTruth TRUTH = DATA.groundTruth();
    /** The create_time of a single-chat message with another single-chat message an hour or less before it. */
    private static final long T = edge();

    ListWindowTest() {
        super(DATA);
    }

    @AfterEach
    void defaults() {
        sim.setEndTimeExclusive(false);
        sim.setRefuseZeroWidthWindows(false);
        sim.clearNow();
    }

    @Test
    void aMessageAtEndTimeIsListedInclusiveAndLeftOutExclusive() {
        List<String> atT = msgids(TRUTH.messages("single", T, T, null, 2).toList());
        assertThat(atT).isNotEmpty();
        assertThat(sim.isEndTimeExclusive()).isFalse();
        List<ObjectNode> inclusive = list(T - HOUR, T);
        assertThat(inclusive).isEqualTo(TRUTH.messages("single", T - HOUR, T, null, 2).toList());
        assertThat(msgids(inclusive)).containsAll(atT);

        sim.setEndTimeExclusive(true);
        assertThat(sim.isEndTimeExclusive()).isTrue();
        List<ObjectNode> exclusive = list(T - HOUR, T);
        assertThat(exclusive).isNotEmpty().isEqualTo(TRUTH.messages("single", T - HOUR, T - 1, null, 2).toList());
        assertThat(msgids(exclusive)).doesNotContainAnyElementsOf(atT);
        // start_time stays inclusive: the next window picks them up, so adjacent windows neither lose nor repeat
        assertThat(msgids(list(T, T + HOUR))).startsWith(atT.toArray(String[]::new));
        assertThat(concat(exclusive, list(T, T + HOUR)))
                .isEqualTo(TRUTH.messages("single", T - HOUR, T + HOUR - 1, null, 2).toList());

        sim.setEndTimeExclusive(false);
        assertThat(list(T - HOUR, T)).isEqualTo(inclusive);
    }

    @Test
    void exclusiveEndTimeFromTheBuilderKeepsThe31DayCheckAndTheNow() {
        try (WecomSimulator exclusive = WecomSimulator.builder().dataSet(DATA).endTimeExclusive(true).build().start()) {
            assertThat(exclusive.isEndTimeExclusive()).isTrue();
            assertThat(exclusive.isRefuseZeroWidthWindows()).isFalse();
            SimClient c = new SimClient(exclusive);
            String t = c.token();
            List<ObjectNode> served = c.pageAll(Api.LIST, t, SimClient.listBody("single", T - HOUR, T, null, 2, 3),
                    "group_msg_list");
            assertThat(served).isEqualTo(TRUTH.messages("single", T - HOUR, T - 1, null, 2).toList());

            long start = T - 31 * 86400L;
            assertThat(c.call(Api.LIST, t, SimClient.listBody("single", start, T, null, 2, 10)).get("errcode").asInt())
                    .isZero();
            assertError(c.call(Api.LIST, t, SimClient.listBody("single", start - 1, T, null, 2, 10)), 40058,
                    "invalid parameter: time range: end_time - start_time exceeds 31 days");

            // a message created at now exists at now, whatever end_time's reading
            exclusive.setNow(Instant.ofEpochSecond(T));
            assertThat(msgids(c.pageAll(Api.LIST, t, SimClient.listBody("single", T, T + HOUR, null, 2, 100),
                    "group_msg_list"))).isEqualTo(msgids(TRUTH.messages("single", T, T, null, 2).toList()));
        }
    }

    @Test
    void zeroWidthWindowsAreListedByDefaultAndRefusedWhenAsked() {
        List<ObjectNode> atT = TRUTH.messages("single", T, T, null, 2).toList();
        assertThat(sim.isRefuseZeroWidthWindows()).isFalse();
        assertThat(list(T, T)).isNotEmpty().isEqualTo(atT);

        sim.setRefuseZeroWidthWindows(true);
        assertThat(sim.isRefuseZeroWidthWindows()).isTrue();
        assertError(client.call(Api.LIST, token, SimClient.listBody("single", T, T, null, 2, 10)), 40058,
                "invalid parameter: time range: end_time equals start_time");
        assertError(client.call(Api.LIST, token, SimClient.listBody("group", T + 5, T + 5, null, 2, 10)), 40058,
                "invalid parameter: time range: end_time equals start_time");
        assertThat(list(T, T + 1)).isEqualTo(atT);
        assertThat(sim.counters().callLog(Api.LIST)).extracting(ApiCall::errcode).contains(40058);

        sim.setRefuseZeroWidthWindows(false);
        sim.setEndTimeExclusive(true);
        JsonNode empty = client.call(Api.LIST, token, SimClient.listBody("single", T, T, null, 2, 10));
        assertThat(empty.get("errcode").asInt()).isZero();
        assertThat(empty.get("group_msg_list")).isEmpty();
        assertThat(empty.get("next_cursor").asText()).isEmpty();
    }

    @Test
    void refusingZeroWidthWindowsFromTheBuilder() {
        try (WecomSimulator strict =
                WecomSimulator.builder().dataSet(DATA).refuseZeroWidthWindows(true).build().start()) {
            assertThat(strict.isRefuseZeroWidthWindows()).isTrue();
            assertThat(strict.isEndTimeExclusive()).isFalse();
            SimClient c = new SimClient(strict);
            String t = c.token();
            assertError(c.call(Api.LIST, t, SimClient.listBody("single", T, T, null, 2, 10)), 40058,
                    "invalid parameter: time range: end_time equals start_time");
            strict.setRefuseZeroWidthWindows(false);
            assertThat(c.call(Api.LIST, t, SimClient.listBody("single", T, T, null, 2, 10)).get("group_msg_list"))
                    .isNotEmpty();
        }
    }

    private List<ObjectNode> list(long start, long end) {
        return client.pageAll(Api.LIST, token, SimClient.listBody("single", start, end, null, 2, 2), "group_msg_list");
    }

    private static List<String> msgids(List<ObjectNode> messages) {
        return messages.stream().map(m -> m.get("msgid").asText()).toList();
    }

    private static List<ObjectNode> concat(List<ObjectNode> a, List<ObjectNode> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private static long edge() {
        List<Long> times = TRUTH.messages("single", DATA.startEpochSecond(), DATA.endEpochSecond(), null, 2)
                .map(m -> m.get("create_time").asLong()).distinct().toList();
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i) - times.get(i - 1) <= HOUR) {
                return times.get(i);
            }
        }
        throw new IllegalStateException("no two single-chat messages within an hour");
    }
}
