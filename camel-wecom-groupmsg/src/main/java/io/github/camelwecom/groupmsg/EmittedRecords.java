package io.github.camelwecom.groupmsg;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import io.github.camelwecom.groupmsg.client.model.MemberRecord;

/**
 * What a follow-mode consumer has emitted from the span it reads again (overlap, trackChangesFor): a record's identity
 * and the state it had, so that a re-read record is emitted again only when its status or send_time changed. Kept as
 * 64-bit hashes so that it stays small in memory and in the checkpoint.
 */
final class EmittedRecords {

    private static final int ENTRY_BYTES = Long.BYTES + Long.BYTES + Integer.BYTES;

    private record Seen(long createTime, int state) {
    }

    private final Map<Long, Seen> seen = new HashMap<>();

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

    /** The entries as base64, for the checkpoint. */
    String encode() {
        ByteBuffer bytes = ByteBuffer.allocate(seen.size() * ENTRY_BYTES);
        seen.forEach((key, s) -> bytes.putLong(key).putLong(s.createTime()).putInt(s.state()));
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    static EmittedRecords decode(String base64) {
        EmittedRecords records = new EmittedRecords();
        if (base64 != null && !base64.isEmpty()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
            while (bytes.remaining() >= ENTRY_BYTES) {
                records.seen.put(bytes.getLong(), new Seen(bytes.getLong(), bytes.getInt()));
            }
        }
        return records;
    }

    private static long key(Object record) {
        if (record instanceof GroupMsg m) {
            return hash(m.getMsgid());
        }
        if (record instanceof GroupMsgTask t) {
            return hash(t.getMsgid(), t.getUserid());
        }
        GroupMsgSendResult r = (GroupMsgSendResult) record;
        return hash(r.getMsgid(), r.getUserid(), r.getExternalUserid(), r.getChatId());
    }

    private static int state(Object record) {
        return record instanceof MemberRecord r ? Objects.hash(r.getStatus(), r.getSendTime()) : 0;
    }

    /** FNV-1a over the parts, 64 bits: collisions are negligible at the sizes a look-back span holds. */
    private static long hash(String... parts) {
        long h = 0xcbf29ce484222325L;
        for (String part : parts) {
            String text = part == null ? "\u0000null" : part;
            for (int i = 0; i < text.length(); i++) {
                h = (h ^ text.charAt(i)) * 0x100000001b3L;
            }
            h = (h ^ 0xff) * 0x100000001b3L;
        }
        return h;
    }
}
