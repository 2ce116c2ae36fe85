package io.github.camelwecom.groupmsg.simulator;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of each record, shared by the server and the ground truth so both can only agree. Fields appear in
 * WeCom's order; optional fields are left out when WeCom would leave them out.
 */
final class RecordJson {
    private RecordJson() {
    }

    static ObjectNode message(Message m) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("msgid", m.msgid);
        n.put("creator", m.creator);
        putNumber(n, "create_time", m.createTime);
        n.put("create_type", m.createType);
        if (m.text != null) {
            n.putObject("text").put("content", m.text);
        }
        if (!m.attachments.isEmpty()) {
            ArrayNode list = n.putArray("attachments");
            for (Attachment a : m.attachments) {
                ObjectNode an = list.addObject();
                an.put("msgtype", a.msgtype());
                ObjectNode body = an.putObject(a.msgtype());
                for (int i = 0; i < a.names().size(); i++) {
                    body.put(a.names().get(i), a.values().get(i));
                }
            }
        }
        return n;
    }

    /** The task as get_groupmsg_task returns it at epoch second {@code now}: unsent (status 0) before its send time. */
    static ObjectNode task(DataSet ds, Message m, int task, long now) {
        boolean sent = m.taskSentAt(task, now);
        ObjectNode n = Json.NODES.objectNode();
        n.put("userid", ds.member(m.taskMember(task)).userid());
        n.put("status", sent ? 2 : 0);
        if (sent) {
            putNumber(n, "send_time", m.taskSendTime(task));
        }
        return n;
    }

    /**
     * The results of one task from position {@code from} on, in API order, as get_groupmsg_send_result returns them at
     * epoch second {@code now}: each unsent (status 0, no send_time) until it settles, possibly after its task's send
     * time (see {@link Delivery}); group chats only once the task is sent.
     */
    static Stream<ObjectNode> results(DataSet ds, Message m, int task, int from, long now) {
        Member member = ds.member(m.taskMember(task));
        int returned = m.taskReturnedAt(task, now);
        if (from >= returned) {
            return Stream.empty();
        }
        if (m.chatType == ChatType.SINGLE) {
            return IntStream.range(from, returned)
                    .mapToObj(i -> singleResult(member, m, task, i, m.resultSettledAt(task, i, now)));
        }
        int[] slots = SendResults.returnedGroupSlots(m.key, member.index(), true, m.taskTargets(task));
        return IntStream.range(from, returned).mapToObj(
                i -> groupResult(member, m, task, slots[i], m.resultSettledAt(task, slots[i], now)));
    }

    private static ObjectNode singleResult(Member member, Message m, int task, int i, boolean settled) {
        int status = SendResults.singleStatus(m.key, member.index(), settled, i);
        ObjectNode n = Json.NODES.objectNode();
        n.put("external_userid", member.externalUserId(
                SendResults.targetIndex(m.taskStart(task), i, member.customers())));
        n.put("userid", member.userid());
        n.put("status", status);
        if (status == SendResults.SENT) {
            putNumber(n, "send_time", m.taskSendTime(task));
        }
        return n;
    }

    private static ObjectNode groupResult(Member member, Message m, int task, int slot, boolean settled) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("chat_id", member.chatId(SendResults.targetIndex(m.taskStart(task), slot, member.chats())));
        n.put("userid", member.userid());
        n.put("status", settled ? SendResults.SENT : SendResults.NOT_SENT);
        if (settled) {
            putNumber(n, "send_time", m.taskSendTime(task));
        }
        return n;
    }

    /**
     * Puts a whole number the way Jackson reads it back (int when it fits), so ground-truth nodes equal the nodes a
     * client parses from the wire.
     */
    private static void putNumber(ObjectNode n, String field, long value) {
        if (value == (int) value) {
            n.put(field, (int) value);
        } else {
            n.put(field, value);
        }
    }

    /** A copy of {@code record} with "msgid" as its first field, the ground truth's flat form. */
    static ObjectNode withMsgid(String msgid, ObjectNode record) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("msgid", msgid);
        n.setAll(record);
        return n;
    }
}
