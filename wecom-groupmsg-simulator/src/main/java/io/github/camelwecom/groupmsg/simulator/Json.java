package io.github.camelwecom.groupmsg.simulator;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The shared Jackson objects (thread-safe, built once) and WeCom's answer envelope. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = MAPPER.writer();

    private Json() {
    }

    static ObjectNode ok() {
        return error(0, "ok");
    }

    static ObjectNode error(int errcode, String errmsg) {
        ObjectNode n = NODES.objectNode();
        n.put("errcode", errcode);
        n.put("errmsg", errmsg);
        return n;
    }

    /** The parsed body, or null when it is not a JSON object (WeCom's 47001). */
    static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(body);
            return n instanceof ObjectNode ? (ObjectNode) n : null;
        } catch (IOException e) {
            return null;
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return WRITER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a tree node", e);
        }
    }
}
