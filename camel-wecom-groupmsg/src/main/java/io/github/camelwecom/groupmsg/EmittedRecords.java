package io.github.camelwecom.groupmsg;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import io.github.camelwecom.groupmsg.client.model.MemberRecord;

/**
 * What a follow-mode consumer has emitted from the span it reads again (overlap, trackChangesFor): a record's identity
 * and the state it had, so that a re-read record is emitted again only when its status or send_time changed.
 */
final class EmittedRecords {

    private record Seen(long createTime, int state) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    /** {@code NEW}, {@code UPDATED}, or null when the record was emitted before unchanged. */
    String classify(Object record) {
        Seen before = seen.get(key(record));
        if (before == null) {
            return WecomGroupMsgConstants.CHANGE_NEW;
        }
        return before.state() == state(record) ? null : WecomGroupMsgConstants.CHANGE_UPDATED;
    }

    void remember(Object record, long createTime) {
        seen.put(key(record), new Seen(createTime, state(record)));
    }

    /** Forgets records of messages created before {@code epochSecond}: they are not read again. */
    void forgetBefore(long epochSecond) {
        seen.values().removeIf(s -> s.createTime() < epochSecond);
    }

    int size() {
        return seen.size();
    }

    static String key(Object record) {
        if (record instanceof GroupMsg m) {
            return m.getMsgid();
        }
        if (record instanceof GroupMsgTask t) {
            return t.getMsgid() + '\u0000' + t.getUserid();
        }
        GroupMsgSendResult r = (GroupMsgSendResult) record;
        return r.getMsgid() + '\u0000' + r.getUserid() + '\u0000' + r.getExternalUserid() + '\u0000' + r.getChatId();
    }

    private static int state(Object record) {
        return record instanceof MemberRecord r ? Objects.hash(r.getStatus(), r.getSendTime()) : 0;
    }
}
