package io.github.camelwecom.groupmsg.simulator;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Bends a normal answer into the shapes of the faults that spoil a successful answer: WRONG_TYPES, CURSOR_CYCLE and
 * ODD_RECORD. (REPEATED_RECORDS needs the paging position; {@link GroupMsgApi} builds it.)
 */
final class HostileAnswers {
    private HostileAnswers() {
    }

    /** The field holding an API's records: the one a client iterates. */
    static String recordsField(Api api) {
        switch (api) {
            case LIST :
                return "group_msg_list";
            case TASK :
                return "task_list";
            case RESULT :
                return "send_list";
            case SUITE_TOKEN :
                return "suite_access_token";
            default :
                return "access_token";
        }
    }

    /**
     * Turn 0: the records field as an object keyed "0", "1"…; turn 1: as a string (a token: a number); turn 2, or an
     * answer without the field: errcode as a string. Field order is kept.
     */
    static ObjectNode wrongTypes(ObjectNode answer, Api api, int turn) {
        String field = recordsField(api);
        JsonNode records = answer.get(field);
        ObjectNode out = Json.NODES.objectNode();
        if (!answer.has("errcode") && (records == null || turn == 2)) {
            out.put("errcode", "0"); // get_suite_token and get_corp_token leave errcode out when they succeed
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = answer.fields(); it.hasNext();) {
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

    /**
     * Whether the answer is a success with at least one record: what CURSOR_CYCLE, REPEATED_RECORDS, ODD_RECORD bend.
     */
    static boolean hasRecords(ObjectNode answer, Api api) {
        JsonNode records = answer.get(recordsField(api));
        return records != null && records.isArray() && !records.isEmpty() && answer.path("errcode").asInt(-1) == 0;
    }

    /** CURSOR_CYCLE: next_cursor is the request's own cursor, so trusting it reads the same page again. */
    static ObjectNode cursorCycle(ObjectNode answer, String requestCursor) {
        answer.put("next_cursor", requestCursor);
        return answer;
    }

    /** ODD_RECORD: the first record gets one field of a wrong JSON type; the answer must have a record. */
    static ObjectNode oddRecord(ObjectNode answer, Api api) {
        ObjectNode first = (ObjectNode) answer.get(recordsField(api)).get(0);
        switch (api) {
            case LIST : {
                JsonNode attachments = first.get("attachments");
                ArrayNode list = attachments instanceof ArrayNode ? (ArrayNode) attachments
                        : first.putArray("attachments");
                list.addObject().put("msgtype", "image").put("image", ""); // image is an object elsewhere
                break;
            }
            case TASK :
                first.put("send_time", "not a time");
                break;
            case RESULT :
                first.putObject("status").put("odd", true);
                break;
            default :
                throw new IllegalArgumentException("ODD_RECORD cannot apply to " + api);
        }
        return answer;
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
        return !api.isGroupMsg() ? Json.NODES.numberNode(records.asText().hashCode())
                : Json.NODES.textNode(records.toString());
    }
}
