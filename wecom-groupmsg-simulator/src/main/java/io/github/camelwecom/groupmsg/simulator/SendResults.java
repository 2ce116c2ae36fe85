package io.github.camelwecom.groupmsg.simulator;

import java.util.Arrays;

/**
 * Derives send results instead of storing them: a result's customer or chat and its status follow from the message key,
 * the member and the result's position, so a million results need no memory.
 */
final class SendResults {
    static final int NOT_SENT = 0;
    static final int SENT = 1;
    static final int NOT_FRIEND = 2;
    static final int ALREADY_RECEIVED = 3;

    private static final long GROUP_SALT = 0x67726f7570L;

    private SendResults() {
    }

    /** Status of the {@code i}-th targeted customer of a single-chat task: 0 until the result settles. */
    static int singleStatus(long messageKey, int member, boolean settled, int i) {
        if (!settled) {
            return NOT_SENT;
        }
        int r = Hashing.below(Hashing.mix(messageKey, member, i), 100);
        return r < 82 ? SENT : r < 91 ? NOT_FRIEND : ALREADY_RECEIVED;
    }

    /** Whether the chat at {@code slot} of a group task's targeted range got the message. */
    static boolean groupChatSent(long messageKey, int member, boolean taskSent, int slot) {
        return taskSent && Hashing.below(Hashing.mix(messageKey ^ GROUP_SALT, member, slot), 100) < 85;
    }

    /** Slots (positions in the targeted range) whose results WeCom returns for a group task: sent chats only. */
    static int[] returnedGroupSlots(long messageKey, int member, boolean taskSent, int targets) {
        int[] slots = new int[targets];
        int n = 0;
        for (int slot = 0; slot < targets; slot++) {
            if (groupChatSent(messageKey, member, taskSent, slot)) {
                slots[n++] = slot;
            }
        }
        return Arrays.copyOf(slots, n);
    }

    /** The member's customer or chat at {@code slot} of a task's targeted range, which wraps around. */
    static int targetIndex(int start, int slot, int size) {
        return (int) (((long) start + slot) % size);
    }
}
