package io.github.camelwecom.groupmsg;

import java.util.Map;
import java.util.Objects;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.export.ExportRecord;
import io.github.camelwecom.groupmsg.export.ExportSpec;
import io.github.camelwecom.groupmsg.export.TimeWindow;
import org.apache.camel.spi.HeadersMapFactory;

/**
 * The consumer's header values of one record after another, as read-only snapshots that {@link WecomGroupMsgMessage}
 * turns into a message's headers when the route first looks at them. Consecutive records mostly share their values, so
 * a snapshot is made only after a value changed, by copying the previous one and setting what changed, instead of
 * building a case-insensitive map of eleven headers for every record.
 */
final class RecordHeaders {

    private static final int MAX_HEADERS = 16;

    private final HeadersMapFactory factory;
    /** The values last set, by header name; names are the constants, so found by identity. */
    private final String[] names = new String[MAX_HEADERS];
    private final Object[] values = new Object[MAX_HEADERS];
    private int size;
    /** Bit i set: values[i] changed since the last snapshot. */
    private int changed;
    private Map<String, Object> snapshot;

    RecordHeaders(HeadersMapFactory factory) {
        this.factory = factory;
    }

    /** With the headers every record of the export has. */
    RecordHeaders(HeadersMapFactory factory, ExportSpec spec) {
        this(factory);
        set(WecomGroupMsgConstants.API, spec.api().uriName());
        set(WecomGroupMsgConstants.CHAT_TYPE, spec.listQuery().chatType().wireName());
    }

    /**
     * The headers of a record read in the pass {@code passStart..passEnd}.
     *
     * @param msgid the message of the endpoint's {@code msgid} option, for records read without their message
     */
    Map<String, Object> of(ExportRecord record, String msgid, long passStart, Long passEnd) {
        GroupMsg msg = record.message();
        set(WecomGroupMsgConstants.MSG_ID, msg != null ? msg.getMsgid() : msgid)
                .set(WecomGroupMsgConstants.USER_ID, record.userid())
                .set(WecomGroupMsgConstants.CREATE_TIME, msg != null ? msg.getCreateTime() : null)
                .set(WecomGroupMsgConstants.START_TIME, passStart)
                .set(WecomGroupMsgConstants.END_TIME, passEnd)
                .set(WecomGroupMsgConstants.CHANGE, record.change().name());
        TimeWindow window = record.window();
        if (window != null) {
            set(WecomGroupMsgConstants.WINDOW_START, window.start())
                    .set(WecomGroupMsgConstants.WINDOW_END, window.end());
        } else {
            set(WecomGroupMsgConstants.WINDOW_START, null).set(WecomGroupMsgConstants.WINDOW_END, null);
        }
        return snapshot();
    }

    /** Sets a header of the records from now on; null leaves it out. */
    RecordHeaders set(String name, Object value) {
        int i = indexOf(name);
        if (!Objects.equals(values[i], value)) {
            values[i] = value;
            changed |= 1 << i;
        }
        return this;
    }

    /** {@link #set(String, Object)} without boxing when the value did not change. */
    RecordHeaders set(String name, long value) {
        int i = indexOf(name);
        if (!(values[i] instanceof Long current && current == value)) {
            values[i] = value;
            changed |= 1 << i;
        }
        return this;
    }

    /** The headers set so far; never changed afterwards, so messages may share it. */
    Map<String, Object> snapshot() {
        if (snapshot == null || changed != 0) {
            Map<String, Object> next = snapshot == null ? factory.newMap() : factory.newMap(snapshot);
            for (int i = 0; i < size; i++) {
                if ((changed & 1 << i) != 0) {
                    if (values[i] == null) {
                        next.remove(names[i]);
                    } else {
                        next.put(names[i], values[i]);
                    }
                }
            }
            snapshot = next;
            changed = 0;
        }
        return snapshot;
    }

    private int indexOf(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        names[size] = name;
        return size++;
    }
}
