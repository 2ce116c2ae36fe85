package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.simulator.Api;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WeCom refuses one message's tasks, or one member's send results, with an errcode about that data alone (60011: the
 * app may not see the member). The export goes on with every other record, says which message it could not read, and
 * reads it on a later poll once WeCom answers; the checkpoint keeps it across a restart. With
 * {@code skipUnreadableMessages=false} the poll fails there instead.
 */
class UnreadableMessageTest extends SimulatorTestSupport {

    private static final int NO_PRIVILEGE = 60011;
    private final MemoryStateRepository state = new MemoryStateRepository();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        registerHealthChecks(camel);
        camel.getRegistry().bind("state", state);
        return camel;
    }

    @Test
    void aRefusedTaskListIsSkippedReportedAndReadOnceWeComAnswers() throws Exception {
        List<ObjectNode> truth = truth("task", "single").toList();
        String msgid = truth.get(truth.size() / 2).get("msgid").asText();
        simulator.faults().refuse(Api.TASK, msgid, null, NO_PRIVILEGE,
                "no privilege to access/modify contact/party/agent");
        Collector got = new Collector();
        String uri = uri("task", RANGE + "&limit=3&stateRepository=#state");

        try (LogCapture logs = new LogCapture(Level.WARN)) {
            start("refused", uri, got);
            WecomGroupMsgConsumer consumer = consumer("refused");
            await(Duration.ofSeconds(30), consumer::isFinished, () -> "not finished: " + got.size());
            ExportAssertions.assertExactly(got.bodies, truth.stream().filter(t -> !msgid.equals(msgidOf(t))));
            assertThat(logs.text()).contains(msgid).contains("get_groupmsg_task").contains("60011")
                    .contains("complete but for 1");
            assertThat(consumer.getEndpoint().getUnreadable()).isEqualTo(1);
            assertThat(consumer.getEndpoint().getRefusedReads()).isGreaterThanOrEqualTo(1);
            assertThat(consumerHealth("refused").getDetails()).containsEntry(UnreadableHealthCheck.DETAIL, 1);
            // every later poll asks again, and nothing else
            long refused = consumer.getEndpoint().getRefusedReads();
            await(Duration.ofSeconds(30), () -> consumer.getEndpoint().getRefusedReads() > refused + 1,
                    () -> "not asked again");
            assertThat(got.size()).isEqualTo(truth.size() - countOf(truth, msgid));
        }

        // a restart keeps what is left to read; once WeCom answers, the message's tasks come, once
        context.getRouteController().stopRoute("refused");
        context.removeRoute("refused");
        simulator.faults().allow(Api.TASK, msgid, null);
        start("again", uri, got);
        WecomGroupMsgConsumer again = consumer("again");
        await(Duration.ofSeconds(30), () -> again.getEndpoint().getUnreadable() == 0 && got.size() == truth.size(),
                () -> "got " + got.size() + " of " + truth.size());
        assertStays(() -> got.size() == truth.size(), () -> "more came: " + got.size());
        List<JsonNode> tail = ExportAssertions.json(got.bodies.subList(truth.size() - countOf(truth, msgid),
                truth.size()));
        assertThat(tail).containsExactlyElementsOf(ExportAssertions.json(truth.stream()
                .filter(t -> msgid.equals(msgidOf(t))).toList()));
    }

    @Test
    void aRefusedMembersSendResultsAreSkippedAndReadLater() throws Exception {
        List<ObjectNode> truth = truth("result", "single").toList();
        ObjectNode pick = truth.get(truth.size() / 2);
        String msgid = msgidOf(pick);
        String userid = pick.get("userid").asText();
        simulator.faults().refuse(Api.RESULT, msgid, userid, NO_PRIVILEGE, "no privilege");
        Collector got = new Collector();
        start("member", uri("result", RANGE + "&limit=50&concurrency=2"), got);
        WecomGroupMsgConsumer consumer = consumer("member");
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "not finished: " + got.size());
        List<ObjectNode> others = truth.stream().filter(r -> !(msgid.equals(msgidOf(r))
                && userid.equals(r.get("userid").asText()))).toList();
        ExportAssertions.assertExactly(got.bodies, others.stream());

        simulator.faults().allow(Api.RESULT, msgid, userid);
        await(Duration.ofSeconds(30), () -> got.size() == truth.size(), () -> "got " + got.size());
        assertStays(() -> got.size() == truth.size() && consumer.getEndpoint().getUnreadable() == 0,
                () -> "got " + got.size());
        List<JsonNode> all = new ArrayList<>(ExportAssertions.json(got.bodies));
        assertThat(all).containsExactlyInAnyOrderElementsOf(ExportAssertions.json(truth));
    }

    @Test
    void failingThePollInsteadStopsAtTheRefusedMessage() throws Exception {
        List<ObjectNode> truth = truth("task", "single").toList();
        int at = truth.size() / 2;
        String msgid = msgidOf(truth.get(at));
        simulator.faults().refuse(Api.TASK, msgid, null, NO_PRIVILEGE, "no privilege");
        Collector got = new Collector();
        start("strict", uri("task", RANGE + "&limit=3&skipUnreadableMessages=false"), got);
        WecomGroupMsgConsumer consumer = consumer("strict");
        await(Duration.ofSeconds(30), () -> consumer.getErrorCounter() >= 3, () -> "no failed polls");
        assertThat(consumer.isFinished()).isFalse();
        int before = (int) truth.stream().takeWhile(t -> !msgid.equals(msgidOf(t))).count();
        ExportAssertions.assertExactly(got.bodies, truth.subList(0, before).stream());
        assertThat(consumerHealth("strict").getDetails()).containsEntry("wecom.errcode", NO_PRIVILEGE);
    }

    private static String msgidOf(JsonNode record) {
        return record.get("msgid").asText();
    }

    private static int countOf(List<ObjectNode> truth, String msgid) {
        return (int) truth.stream().filter(t -> msgid.equals(msgidOf(t))).count();
    }

    private void start(String routeId, String uri, Collector got) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(got::add);
            }
        });
    }

    private WecomGroupMsgConsumer consumer(String routeId) {
        return (WecomGroupMsgConsumer) context.getRoute(routeId).getConsumer();
    }

}
