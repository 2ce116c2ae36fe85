package io.github.camelwecom.groupmsg;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.camelwecom.groupmsg.client.model.Attachment;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.ApiCall;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record with a field of the wrong JSON type (the simulator's ODD_RECORD: an {@code "image": ""} attachment, a
 * {@code "send_time": "not a time"}, a {@code "status": {"odd": true}}) comes through an export over HTTP in its own
 * class, the odd field null and kept raw; its page is neither retried nor lost, and every record is emitted once.
 */
class OddRecordTest extends SimulatorTestSupport {

    private static final int ODD_PAGES = 3;

    @Test
    void messageWithAnOddAttachment() throws Exception {
        List<GroupMsg> odd = export(Api.LIST, "list", GroupMsg::getMsgid, truth -> {
            ObjectNode expected = truth.deepCopy();
            expected.withArray("attachments").addObject().put("msgtype", "image").put("image", "");
            return expected;
        }, GroupMsg.class, m -> m.getAttachments().stream().anyMatch(a -> a.getPayload() != null));

        assertThat(odd).allSatisfy(m -> {
            Attachment image = m.getAttachments().get(m.getAttachments().size() - 1);
            assertThat(image.getMsgtype()).isEqualTo("image");
            assertThat(image.getImage()).isNull();
            assertThat(image.getPayload()).isEqualTo(TextNode.valueOf(""));
        });
    }

    @Test
    void taskWithASendTimeThatIsNoTime() throws Exception {
        List<GroupMsgTask> odd = export(Api.TASK, "task", t -> t.getMsgid() + "/" + t.getUserid(),
                truth -> truth.deepCopy().put("send_time", "not a time"), GroupMsgTask.class,
                t -> t.getUnknownField("send_time") != null);

        assertThat(odd).allSatisfy(t -> {
            assertThat(t.getSendTime()).isNull();
            assertThat(t.getUnknownField("send_time")).isEqualTo(TextNode.valueOf("not a time"));
            assertThat(t.getStatus()).isNotNull();
        });
    }

    @Test
    void sendResultWithAnObjectForStatus() throws Exception {
        JsonNode oddStatus = JsonNodeFactory.instance.objectNode().put("odd", true);
        List<GroupMsgSendResult> odd = export(Api.RESULT, "result",
                r -> r.getMsgid() + "/" + r.getUserid() + "/" + r.getExternalUserid() + "/" + r.getChatId(),
                truth -> {
                    ObjectNode expected = truth.deepCopy();
                    expected.set("status", oddStatus);
                    return expected;
                }, GroupMsgSendResult.class, r -> r.getUnknownField("status") != null);

        assertThat(odd).allSatisfy(r -> {
            assertThat(r.getStatus()).isNull();
            assertThat(r.getUnknownField("status")).isEqualTo(oddStatus);
            assertThat(r.getUserid()).isNotNull();
        });
    }

    /**
     * Exports {@code api} with an odd first record on {@link #ODD_PAGES} pages and checks the whole export against the
     * ground truth, the odd records as {@code bend} makes them of their truth; returns the odd records.
     */
    private <T> List<T> export(Api simulatorApi, String api, Function<T, String> key, UnaryOperator<ObjectNode> bend,
            Class<T> type, Predicate<T> isOdd) throws Exception {
        simulator.faults().failNext(simulatorApi, Fault.ODD_RECORD, ODD_PAGES);

        Collector got = exportAll(uri(api, RANGE + "&chatType=group&limit=3"));

        assertThat(got.bodies).allMatch(type::isInstance);
        List<T> records = got.bodies.stream().map(type::cast).toList();
        List<T> odd = records.stream().filter(isOdd).toList();
        assertThat(odd).as("odd records emitted").hasSize(ODD_PAGES);
        Set<String> oddKeys = odd.stream().map(key).collect(Collectors.toSet());
        ExportAssertions.assertExactly(got.bodies, truth(api, "group").map(t -> oddKeys.contains(keyOf(api, t))
                ? bend.apply(t) : t));
        assertThat(simulator.counters().faults(Fault.ODD_RECORD)).isEqualTo(ODD_PAGES);
        List<ApiCall> calls = simulator.counters().callLog(simulatorApi);
        assertThat(calls).as("no page was asked for again")
                .allMatch(c -> calls.stream().filter(c::sameRequestAs).count() == 1);
        return odd;
    }

    /** The same key as the test's key function, read from a ground-truth record. */
    private static String keyOf(String api, ObjectNode truth) {
        return switch (api) {
            case "list" -> truth.path("msgid").asText();
            case "task" -> truth.path("msgid").asText() + "/" + truth.path("userid").asText();
            default -> truth.path("msgid").asText() + "/" + truth.path("userid").asText() + "/"
                    + text(truth, "external_userid") + "/" + text(truth, "chat_id");
        };
    }

    private static String text(ObjectNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
