package io.github.camelwecom.groupmsg.export;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tracked message and its members, kept in blocks of {@link #BLOCK} members in the order they came: each block is
 * one part of the checkpoint, written again only when one of its members changed, so that a member who sends rewrites a
 * few hundred bytes, not the message's thousands of members. Fan-out workers read members while the committing thread
 * puts them, hence the concurrent map.
 */
final class TrackedMessage {

    static final int BLOCK = 32;

    final long key;
    final long createTime;
    private final Map<Long, MemberState> members = new ConcurrentHashMap<>();
    /** Per block the members' keys, in the order they came. */
    private final List<List<Long>> blocks = new ArrayList<>();
    private final Map<Long, Integer> blockOf = new ConcurrentHashMap<>();
    /** Members not {@link MemberState#settled() settled}. */
    private volatile int unsettled;

    TrackedMessage(long key, long createTime) {
        this.key = key;
        this.createTime = createTime;
    }

    MemberState member(long user) {
        return members.get(user);
    }

    /** @return the block the member is in, now changed */
    int put(long user, MemberState state) {
        Integer block = blockOf.get(user);
        if (block == null) {
            boolean full = blocks.isEmpty() || blocks.get(blocks.size() - 1).size() == BLOCK;
            block = full ? blocks.size() : blocks.size() - 1;
        }
        put(block, user, state);
        return block;
    }

    private void put(int block, long user, MemberState state) {
        MemberState before = members.put(user, state);
        unsettled += (state.settled() ? 0 : 1) - (before == null || before.settled() ? 0 : 1);
        if (blockOf.putIfAbsent(user, block) == null) {
            while (blocks.size() <= block) {
                blocks.add(new ArrayList<>(BLOCK));
            }
            blocks.get(block).add(user);
        }
    }

    /** Every member it has is settled: its tasks need not be read again. */
    boolean settled() {
        return !members.isEmpty() && unsettled == 0;
    }

    /** At least one block, also when it has no members (list exports track messages alone). */
    int blockCount() {
        return Math.max(1, blocks.size());
    }

    String partId(int block) {
        return Long.toHexString(key) + "." + block;
    }

    /** Base64 of: key, create_time, member count, then per member its key and {@link MemberState}. */
    String encode(int block) {
        List<Long> users = block < blocks.size() ? blocks.get(block) : List.of();
        int size = 20;
        for (Long user : users) {
            size += 8 + members.get(user).encodedSize();
        }
        ByteBuffer bytes = ByteBuffer.allocate(size);
        bytes.putLong(key).putLong(createTime).putInt(users.size());
        for (Long user : users) {
            bytes.putLong(user);
            members.get(user).encode(bytes);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** Reads a part back: the message it belongs to (created when {@code messages} has none) gets its members. */
    static void decode(String partId, String part, Map<Long, TrackedMessage> messages) {
        int block = Integer.parseInt(partId.substring(partId.indexOf('.') + 1));
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(part));
        long key = bytes.getLong();
        long createTime = bytes.getLong();
        TrackedMessage message = messages.computeIfAbsent(key, k -> new TrackedMessage(k, createTime));
        int count = bytes.getInt();
        for (int i = 0; i < count; i++) {
            long user = bytes.getLong();
            message.put(block, user, MemberState.decode(bytes));
        }
    }
}
