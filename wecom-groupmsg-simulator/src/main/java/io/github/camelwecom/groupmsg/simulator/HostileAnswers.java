package io.github.camelwecom.groupmsg.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Bends a normal answer into the shapes of the WRONG_TYPES fault. */
final class HostileAnswers {
    private HostileAnswers() {
    }

    /** The field holding an API's records: the one a client iterates. */
    static String recordsField(Api api) {
        switch (api) {
            case LIST:
                return "group_msg_list";
            case TASK:
                return "task_list";
            case RESULT:
                return "send_list";
            default:
                return "access_token";
        }
    }

    /**
     * Turn 0: the records field as an object keyed "0", "1"…; turn 1: as a string (gettoken: a number);
     * turn 2, or an answer without the field: errcode as a string. Field order is kept.
     */
    static ObjectNode wrongTypes(ObjectNode answer, Api api, int turn) {
        String field = recordsField(api);
        JsonNode records = answer.get(field);
        ObjectNode out = Json.NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = answer.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (records == null || turn == 2) {
                if (e.getKey().equals("errcode")) {
                    value = Json.NODES.textNode(value.asText());
                }
            } else if (e.getKey().equals(field)) {
                value = turn == 0 ? asObject(value) : asScalar(value, api);
            }
            out.set(e.getKey(), value);
        }
        return out;
    }

    private static JsonNode asObject(JsonNode records) {
        ObjectNode o = Json.NODES.objectNode();
        if (records.isArray()) {
            for (int i = 0; i < records.size(); i++) {
                o.set(Integer.toString(i), records.get(i));
            }
        } else {
            o.set("value", records);
        }
        return o;
    }

    private static JsonNode asScalar(JsonNode records, Api api) {
        return api == Api.GETTOKEN ? Json.NODES.numberNode(records.asText().hashCode())
                : Json.NODES.textNode(records.toString());
    }
}
