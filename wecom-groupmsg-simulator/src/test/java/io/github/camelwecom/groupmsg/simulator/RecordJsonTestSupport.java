package io.github.camelwecom.groupmsg.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Puts an API record into the ground truth's flat form, the way an exporter would. */
final class RecordJsonTestSupport {
    private RecordJsonTestSupport() {
    }

    static ObjectNode withMsgid(String msgid, ObjectNode record) {
        ObjectNode n = SimClient.MAPPER.createObjectNode().put("msgid", msgid);
        n.setAll(record);
        return n;
    }
}
