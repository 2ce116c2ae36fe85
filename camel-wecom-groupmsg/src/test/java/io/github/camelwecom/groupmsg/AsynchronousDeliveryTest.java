package io.github.camelwecom.groupmsg;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.client.CallBudget;
import io.github.camelwecom.groupmsg.client.TestBudgets;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WeCom delivers asynchronously: a member's task says sent while its send results still say unsent, here for 2 s
 * (simulated). A follow-mode result consumer polled once a minute, and also one second after each member sends (so that
 * it reads the task sent and the results not yet), hands on each result's change as one UPDATED within two polls of its
 * delivery, never UPDATED without a change and never NEW twice. The polls are run by the test, the simulator's now and
 * the component's clock set before each.
 */
class AsynchronousDeliveryTest extends CamelTestSupport {

    private static final long MINUTE = 60;
    private static final DataSet DATA = DataSet.generate(DataSetSpec.builder()
            .days(LocalDate.parse("2025-09-01"), LocalDate.parse("2025-09-10")).singleMessages(60).groupMessages(0)
            .members(10).bigMembers(0).typicalCustomers(12).deliveryDelaySeconds(2).build());

    private final WecomSimulator simulator = WecomSimulator.builder().port(0).dataSet(DATA).build().start();
    /** Per send result: what was handed on, in order, as "poll:change:status". */
    private final Map<String, List<String>> emitted = new HashMap<>();
    private int poll;

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    @Test
    void eachDeliveryComesAsOneUpdatedWithinTwoPolls() throws Exception {
        long start = DATA.startEpochSecond() + 4 * 86_400;
        long end = start + 6 * 3600;
        List<Long> polls = polls(start, end);
        MovableClock clock = new MovableClock(start);
        WecomGroupMsgComponent component = context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class);
        component.setClock(clock);
        // the polls of six hours take more calls than a real minute's budget: its waits move a clock of their own
        component.setCallBudget(TestBudgets.movedByWaits(CallBudget.Limits.DEFAULT,
                new MovableClock(System.currentTimeMillis() / 1000)));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("wecom-groupmsg:result?baseUrl=" + simulator.baseUrl() + "&corpId="
                        + WecomSimulator.DEFAULT_CORP_ID + "&corpSecret=" + WecomSimulator.DEFAULT_CORP_SECRET
                        + "&startTime=" + (start - 3 * 86_400) + "&startScheduler=false").routeId("follow")
                        .process(e -> record(e));
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("follow").getConsumer();
        for (poll = 0; poll < polls.size(); poll++) {
            long now = polls.get(poll);
            simulator.setNow(Instant.ofEpochSecond(now));
            clock.set(now);
            SimulatorTestSupport.runPolls(consumer);
            assertThat(consumer.getCompleteUpTo()).as("poll at %d read up to now", now).isGreaterThanOrEqualTo(now);
        }

        GroundTruth atEnd = DATA.groundTruth().asOf(Instant.ofEpochSecond(end));
        int delivered = 0;
        for (ObjectNode r : atEnd.results("single", start - 3 * 86_400, end, null, 2).toList()) {
            List<String> handedOn = emitted.get(key(r));
            assertThat(handedOn).as("%s", r).isNotNull().first().asString().contains(":NEW:");
            assertThat(handedOn.stream().filter(h -> h.contains(":NEW:"))).as("NEW once: %s", handedOn).hasSize(1);
            assertThat(last(handedOn)).as("the state at the end: %s", r).endsWith(":" + r.get("status").asInt());
            assertNoUpdateWithoutChange(handedOn);
            long settled = DATA.groundTruth().settleTime(r.get("msgid").asText(), r.get("userid").asText());
            if (settled > start && settled <= end && r.get("status").asInt() != 0) {
                delivered++;
                int firstPollAfter = firstAtOrAfter(polls, settled);
                int arrived = Integer.parseInt(last(handedOn).split(":")[0]);
                assertThat(arrived).as("%s delivered at %d, handed on %s", r, settled, handedOn)
                        .isBetween(firstPollAfter, firstPollAfter + 1);
            }
        }
        assertThat(delivered).as("deliveries within the polls").isGreaterThan(20);
        assertThat(emitted.values().stream().filter(h -> h.size() == 2 && h.get(0).endsWith(":0")).count())
                .as("results handed on unsent after their task said sent, then delivered").isPositive();
        WecomGroupMsgEndpoint endpoint = consumer.getEndpoint();
        assertThat(endpoint.getRecheckedDeliveries()).as("rechecks that found deliveries").isPositive()
                .isLessThanOrEqualTo(endpoint.getRecheckedMembers());
    }

    /** A poll each minute, and one a second after each member sent, when its results say unsent still. */
    private static List<Long> polls(long start, long end) {
        TreeSet<Long> polls = new TreeSet<>();
        for (long t = start; t <= end; t += MINUTE) {
            polls.add(t);
        }
        DATA.groundTruth().asOf(Instant.ofEpochSecond(end)).tasks("single", start - 3 * 86_400, end, null, 2)
                .filter(t -> t.path("send_time").asLong() > start).forEach(t -> polls.add(t.get("send_time")
                        .asLong() + 1));
        polls.removeIf(t -> t > end);
        return new ArrayList<>(polls);
    }

    private void record(Exchange exchange) {
        GroupMsgSendResult r = exchange.getMessage().getBody(GroupMsgSendResult.class);
        String change = exchange.getMessage().getHeader(WecomGroupMsgConstants.CHANGE, String.class);
        emitted.computeIfAbsent(r.getMsgid() + " " + r.getUserid() + " " + r.getExternalUserid(),
                k -> new ArrayList<>()).add(poll + ":" + change + ":" + r.getStatus());
    }

    private static void assertNoUpdateWithoutChange(List<String> handedOn) {
        for (int i = 1; i < handedOn.size(); i++) {
            assertThat(handedOn.get(i)).as("%s", handedOn).contains(":UPDATED:");
            assertThat(status(handedOn.get(i))).as("UPDATED without a change: %s", handedOn)
                    .isNotEqualTo(status(handedOn.get(i - 1)));
        }
    }

    private static String status(String handedOn) {
        return handedOn.substring(handedOn.lastIndexOf(':') + 1);
    }

    private static String last(List<String> list) {
        return list.get(list.size() - 1);
    }

    private static int firstAtOrAfter(List<Long> polls, long time) {
        int i = 0;
        while (polls.get(i) < time) {
            i++;
        }
        return i;
    }

    private static String key(ObjectNode r) {
        return r.get("msgid").asText() + " " + r.get("userid").asText() + " " + r.get("external_userid").asText();
    }
}
