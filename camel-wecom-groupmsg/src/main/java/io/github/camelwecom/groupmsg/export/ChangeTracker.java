package io.github.camelwecom.groupmsg.export;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a follow-mode export has handed on from the span it reads again: the messages, and per (message, member) a
 * {@link MemberState}. Identities are kept as 64-bit hashes. It is kept in parts ({@link TrackedMessage} blocks) and
 * tells which parts changed, so that a checkpoint writes in proportion to what changed. Fan-out workers read it while
 * the caller commits, hence the concurrent map.
 */
final class ChangeTracker {

    private final Map<Long, TrackedMessage> messages = new ConcurrentHashMap<>();
    /**
     * Parts changed since {@link #takeChangedParts()}: per message key its blocks; a block -1 means the message left.
     */
    private final Map<Long, Set<Integer>> changed = new HashMap<>();

    boolean hasMessage(String msgid) {
        return messages.containsKey(Fnv1a.hash(msgid));
    }

    /** Whether every member of the message is settled: nothing of it can change, so its tasks are not read again. */
    boolean settled(String msgid) {
        TrackedMessage message = messages.get(Fnv1a.hash(msgid));
        return message != null && message.settled();
    }

    /** The member as last handed on, or null when it was not. */
    MemberState member(String msgid, String userid) {
        TrackedMessage message = messages.get(Fnv1a.hash(msgid));
        return message == null ? null : message.member(Fnv1a.hash(userid));
    }

    void putMessage(String msgid, long createTime) {
        message(msgid, createTime);
    }

    void putMember(String msgid, long createTime, String userid, MemberState member) {
        TrackedMessage message = message(msgid, createTime);
        changed(message.key).add(message.put(Fnv1a.hash(userid), member));
    }

    private TrackedMessage message(String msgid, long createTime) {
        long key = Fnv1a.hash(msgid);
        TrackedMessage message = messages.get(key);
        if (message == null) {
            message = new TrackedMessage(key, createTime);
            messages.put(key, message);
            changed(key).add(0);
        }
        return message;
    }

    private Set<Integer> changed(long key) {
        return changed.computeIfAbsent(key, k -> new LinkedHashSet<>());
    }

    /** Forgets messages created before {@code epochSecond}: they are not read again. */
    void forgetBefore(long epochSecond) {
        for (Iterator<TrackedMessage> it = messages.values().iterator(); it.hasNext();) {
            TrackedMessage message = it.next();
            if (message.createTime < epochSecond) {
                it.remove();
                Set<Integer> gone = changed(message.key);
                gone.clear();
                for (int block = 0; block < message.blockCount(); block++) {
                    gone.add(-1 - block);
                }
            }
        }
    }

    /** The parts changed since the last call: id to value, null for a part that is gone. */
    Map<String, String> takeChangedParts() {
        Map<String, String> parts = new HashMap<>();
        changed.forEach((key, blocks) -> {
            TrackedMessage message = messages.get(key);
            for (int block : blocks) {
                if (block < 0) {
                    parts.put(Long.toHexString(key) + "." + (-1 - block), null);
                } else if (message != null) {
                    parts.put(message.partId(block), message.encode(block));
                }
            }
        });
        changed.clear();
        return parts;
    }

    /** A tracker holding the parts as {@link #takeChangedParts()} gave them; nothing counts as changed. */
    static ChangeTracker decode(Map<String, String> parts) {
        ChangeTracker tracker = new ChangeTracker();
        if (parts != null) {
            parts.forEach((id, value) -> TrackedMessage.decode(id, value, tracker.messages));
        }
        return tracker;
    }
}
