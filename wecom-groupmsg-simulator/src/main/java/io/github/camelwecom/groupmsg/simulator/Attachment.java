package io.github.camelwecom.groupmsg.simulator;

import java.util.List;

/**
 * One attachment of a message: {@code {"msgtype": type, type: {fields...}}} as WeCom sends it. Field names and values
 * are parallel lists to keep WeCom's field order.
 */
record Attachment(String msgtype, List<String> names, List<String> values) {

    Attachment {
        names = List.copyOf(names);
        values = List.copyOf(values);
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("names and values differ in size");
        }
    }
}
