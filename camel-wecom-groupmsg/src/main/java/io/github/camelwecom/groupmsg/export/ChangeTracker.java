package io.github.camelwecom.groupmsg.export;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.MemberRecord;

/**
 * What a follow-mode export has handed on from the span it reads again: the messages, and per (message, member) the
 * task's state and a digest of the member's send results as last read. Nothing is kept per send result, so the state
 * grows with the tracked messages and their members, not with their results. Identities are kept as 64-bit hashes;
 * fan-out workers read it while the caller commits, hence the concurrent maps.
 */
final class ChangeTracker {

    /** A member's task state and results digest as last handed on; {@code results} 0 when it had none. */
    record Member(int task, long results) {
    }

    private static final class Message {
        final long createTime;
        final Map<Long, Member> members = new ConcurrentHashMap<>();
        /**
         * This message's part of {@link #encode()}, already in Base64, until a member changes: a checkpoint after every
         * batch re-encodes only the messages the batch touched. Each part is padded to whole 3-byte groups, so that the
         * parts' Base64 joined is the Base64 of the parts joined.
         */
        byte[] encoded;

        Message(long createTime) {
            this.createTime = createTime;
        }

        byte[] encoded(long key) {
            if (encoded == null) {
                Map<Long, Member> copy = Map.copyOf(members);
                int size = 20 + copy.size() * 20;
                ByteBuffer bytes = ByteBuffer.allocate(size + padding(size));
                bytes.putLong(key).putLong(createTime).putInt(copy.size());
                copy.forEach((user, m) -> bytes.putLong(user).putInt(m.task()).putLong(m.results()));
                encoded = Base64.getEncoder().encode(bytes.array());
            }
            return encoded;
        }
    }

    private static int padding(int size) {
        return (3 - size % 3) % 3;
    }

    private final Map<Long, Message> messages = new ConcurrentHashMap<>();

    boolean hasMessage(String msgid) {
        return messages.containsKey(Fnv1a.hash(msgid));
    }

    /** The member as last handed on, or null when it was not. */
    Member member(String msgid, String userid) {
        Message message = messages.get(Fnv1a.hash(msgid));
        return message == null ? null : message.members.get(Fnv1a.hash(userid));
    }

    void putMessage(String msgid, long createTime) {
        messages.computeIfAbsent(Fnv1a.hash(msgid), k -> new Message(createTime));
    }

    void putMember(String msgid, long createTime, String userid, Member member) {
        Message message = messages.computeIfAbsent(Fnv1a.hash(msgid), k -> new Message(createTime));
        message.members.put(Fnv1a.hash(userid), member);
        message.encoded = null;
    }

    /** Forgets messages created before {@code epochSecond}: they are not read again. */
    void forgetBefore(long epochSecond) {
        messages.values().removeIf(m -> m.createTime < epochSecond);
    }

    /** The state of a task or send result as far as changes go: its status and send_time. */
    static int taskState(MemberRecord task) {
        return task == null ? 0 : Objects.hash(task.getStatus(), task.getSendTime());
    }

    /** One send result's part of its member's digest: who it went to and its state. */
    static long resultDigest(GroupMsgSendResult result) {
        return Fnv1a.hash(result.getExternalUserid(), result.getChatId(), String.valueOf(result.getStatus()),
                String.valueOf(result.getSendTime()));
    }

    /**
     * Base64 of: per message its key, create_time and member count, then per member its key, task and digest, padded to
     * whole 3-byte groups. Called by the thread that puts.
     */
    String encode() {
        List<byte[]> parts = new ArrayList<>(messages.size());
        int size = 0;
        for (Map.Entry<Long, Message> entry : messages.entrySet()) {
            byte[] part = entry.getValue().encoded(entry.getKey());
            parts.add(part);
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return new String(all, StandardCharsets.ISO_8859_1);
    }

    static ChangeTracker decode(String base64) {
        ChangeTracker tracker = new ChangeTracker();
        if (base64 != null && !base64.isEmpty()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
            while (bytes.remaining() >= 20) {
                long key = bytes.getLong();
                Message m = new Message(bytes.getLong());
                int count = bytes.getInt();
                for (int i = 0; i < count; i++) {
                    m.members.put(bytes.getLong(), new Member(bytes.getInt(), bytes.getLong()));
                }
                bytes.position(bytes.position() + padding(20 + count * 20));
                tracker.messages.put(key, m);
            }
        }
        return tracker;
    }

}
