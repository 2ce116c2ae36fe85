package io.github.camelwecom.groupmsg.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads request fields the way WeCom does: numbers may come as JSON numbers or numeric strings. */
final class Params {
    private Params() {
    }

    /** The field as a string, or null when absent, null or empty. */
    static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.isValueNode() ? n.asText() : null;
        return s == null || s.isEmpty() ? null : s;
    }

    static String requiredText(ObjectNode body, String field) {
        String s = text(body, field);
        if (s == null) {
            throw WecomException.invalidParameter(field);
        }
        return s;
    }

    /** The field as a whole number, or null when absent or not a number. */
    static Long number(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static long requiredNumber(ObjectNode body, String field) {
        Long v = number(body, field);
        if (v == null) {
            throw WecomException.invalidParameter(field);
        }
        return v;
    }

    /** A limit in [1, max]; absent or out of range means {@code dflt}, as WeCom documents. */
    static int limit(ObjectNode body, int dflt, int max) {
        Long v = number(body, "limit");
        return v == null || v < 1 || v > max ? dflt : v.intValue();
    }
}
