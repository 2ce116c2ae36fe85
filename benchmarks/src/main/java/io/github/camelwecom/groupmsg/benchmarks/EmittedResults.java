package io.github.camelwecom.groupmsg.benchmarks;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;

/**
 * What a route of {@link FollowModeBenchmark} received, per send result: the state last emitted, as hashes in
 * open-addressing tables off the heap, so that checking millions of records neither competes with the consumer for its
 * -Xmx nor shows in its heap figure. Counts NEW twice and UPDATED without a change.
 */
final class EmittedResults {
    private final LongBuffer keys;
    private final IntBuffer states;
    private final int mask;
    private int size;
    private long newTwice;
    private long updatedWithoutChange;
    private long updated;

    EmittedResults(long expected) {
        int capacity = Integer.highestOneBit((int) Math.min(1 << 29, expected * 3 / 2 + 16)) * 2;
        keys = ByteBuffer.allocateDirect(capacity * Long.BYTES).asLongBuffer();
        states = ByteBuffer.allocateDirect(capacity * Integer.BYTES).asIntBuffer();
        mask = capacity - 1;
    }

    void clear() {
        for (int i = 0; i <= mask; i++) {
            keys.put(i, 0);
            states.put(i, 0);
        }
        size = 0;
        newTwice = 0;
        updatedWithoutChange = 0;
        updated = 0;
    }

    void accept(GroupMsgSendResult r, String change) {
        long key = identity(r.getMsgid(), r.getUserid(), r.getExternalUserid(), r.getChatId());
        int state = state(r.getStatus(), r.getSendTime());
        int slot = slot(key);
        boolean known = keys.get(slot) != 0;
        if ("UPDATED".equals(change)) {
            updated++;
            if (!known || states.get(slot) == state) {
                updatedWithoutChange++;
            }
        } else if (known) {
            newTwice++;
        }
        if (!known) {
            if (++size > mask * 3 / 4) {
                throw new IllegalStateException("more records than the ground truth holds: " + size);
            }
            keys.put(slot, key);
        }
        states.put(slot, state);
    }

    /** Exactness against the ground truth at now: every send result of the span emitted in its current state. */
    Map<String, Object> against(GroundTruth truth, long start, long now) {
        long[] expected = new long[1];
        long[] missing = new long[1];
        long[] stale = new long[1];
        truth.results("single", start, now, null, 2).forEach(r -> { // streamed: millions of records
            expected[0]++;
            int slot = slot(identity(r.get("msgid").asText(), r.get("userid").asText(),
                    text(r, "external_userid"), text(r, "chat_id")));
            if (keys.get(slot) == 0) {
                missing[0]++;
            } else if (states.get(slot) != state(r.get("status").asInt(),
                    r.hasNonNull("send_time") ? r.get("send_time").asLong() : null)) {
                stale[0]++;
            }
        });
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("exact_expected_records", expected[0]);
        figures.put("exact_emitted_records", size);
        figures.put("exact_missing", missing[0]);
        figures.put("exact_stale", stale[0]);
        figures.put("exact_new_twice", newTwice);
        figures.put("exact_updated", updated);
        figures.put("exact_updated_without_change", updatedWithoutChange);
        return figures;
    }

    private int slot(long key) {
        int slot = (int) (key ^ key >>> 32) & mask;
        while (keys.get(slot) != 0 && keys.get(slot) != key) {
            slot = slot + 1 & mask;
        }
        return slot;
    }

    private static String text(ObjectNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static long identity(String... parts) {
        long h = 1125899906842597L;
        for (String part : parts) {
            h = 31 * h + (part == null ? 0 : part.hashCode());
            h ^= h >>> 29;
            h *= 0xbf58476d1ce4e5b9L;
        }
        return h == 0 ? 1 : h;
    }

    private static int state(Integer status, Long sendTime) {
        return 31 * (status == null ? -1 : status) + Long.hashCode(sendTime == null ? -1 : sendTime);
    }
}
