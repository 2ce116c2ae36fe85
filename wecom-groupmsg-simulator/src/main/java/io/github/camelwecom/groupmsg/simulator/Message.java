package io.github.camelwecom.groupmsg.simulator;

import java.util.Arrays;
import java.util.List;

/**
 * One mass message and its tasks (one per targeted member). Per task only a few ints are kept: the targeted customers
 * or chats are a range of the member's, and each send result is derived on demand by {@link SendResults}.
 */
final class Message {
    final String msgid;
    final ChatType chatType;
    final String creator;
    /** 0 enterprise, 1 personal. */
    final int createType;
    final long createTime;
    /** Null when the message has only attachments. */
    final String text;
    final List<Attachment> attachments;
    /** Seed of everything derived per send result. */
    final long key;

    private final int[] taskMember;
    /**
     * Epoch second the member sent it, 0 when never sent. This is the task's settle time: before it the task is unsent
     * (status 0), from it on sent. Its send results settle later, as {@link #delivery} says.
     */
    private final int[] taskSendTime;
    /** How many customers (single) or chats (group) the task targets. */
    private final int[] taskTargets;
    /** First targeted customer or chat; the range wraps around the member's list. */
    private final int[] taskStart;
    /** How many records get_groupmsg_send_result returns for the task. */
    private final int[] taskReturned;
    private final long totalReturned;
    private final Delivery delivery;

    Message(String msgid, ChatType chatType, String creator, int createType, long createTime, String text,
            List<Attachment> attachments, long key, int[] taskMember, int[] taskSendTime, int[] taskTargets,
            int[] taskStart, int[] taskReturned, Delivery delivery) {
        this.msgid = msgid;
        this.chatType = chatType;
        this.creator = creator;
        this.createType = createType;
        this.createTime = createTime;
        this.text = text;
        this.attachments = List.copyOf(attachments);
        this.key = key;
        this.taskMember = taskMember;
        this.taskSendTime = taskSendTime;
        this.taskTargets = taskTargets;
        this.taskStart = taskStart;
        this.taskReturned = taskReturned;
        this.delivery = delivery;
        long total = 0;
        for (int r : taskReturned) {
            total += r;
        }
        this.totalReturned = total;
    }

    int taskCount() {
        return taskMember.length;
    }

    int taskMember(int task) {
        return taskMember[task];
    }

    long taskSendTime(int task) {
        return taskSendTime[task];
    }

    boolean taskSent(int task) {
        return taskSendTime[task] != 0;
    }

    /** Whether the task has been sent by epoch second {@code now} ({@link SimClock#SETTLED}: ever). */
    boolean taskSentAt(int task, long now) {
        int sent = taskSendTime[task];
        return sent != 0 && sent <= now;
    }

    /**
     * Whether the send result at {@code position} of the task (single: index in the targeted range, group: slot) has
     * its final status at {@code now}; never for a task never sent.
     */
    boolean resultSettledAt(int task, int position, long now) {
        long settle = resultSettleTime(task, position);
        return settle != 0 && settle <= now;
    }

    long resultSettleTime(int task, int position) {
        return delivery.settleTime(key, taskMember[task], position, taskSendTime[task]);
    }

    /**
     * Epoch second from which the task and all its send results are final: the latest of its send time and its results'
     * settle times; 0 when never sent.
     */
    long taskSettleTime(int task) {
        long latest = taskSendTime[task];
        if (latest == 0 || taskReturned[task] == 0) {
            return latest;
        }
        if (delivery.jitterSeconds() == 0) {
            return latest + delivery.delaySeconds();
        }
        int[] positions = chatType == ChatType.SINGLE ? null
                : SendResults.returnedGroupSlots(key, taskMember[task], true, taskTargets[task]);
        for (int i = 0; i < taskReturned[task]; i++) {
            latest = Math.max(latest, resultSettleTime(task, positions == null ? i : positions[i]));
        }
        return latest;
    }

    /** Whether the message exists at {@code now}: nothing is listed before it was created. */
    boolean existsAt(long now) {
        return createTime <= now;
    }

    int taskTargets(int task) {
        return taskTargets[task];
    }

    int taskStart(int task) {
        return taskStart[task];
    }

    int taskReturned(int task) {
        return taskReturned[task];
    }

    long totalReturned() {
        return totalReturned;
    }

    /**
     * How many records get_groupmsg_send_result returns for the task at {@code now}: single-chat tasks return every
     * targeted customer (status 0 until settled), group-chat tasks only the sent chats, so none before the send time.
     */
    int taskReturnedAt(int task, long now) {
        return chatType == ChatType.GROUP && !taskSentAt(task, now) ? 0 : taskReturned[task];
    }

    long totalReturnedAt(long now) {
        if (now == SimClock.SETTLED) {
            return totalReturned;
        }
        if (!existsAt(now)) {
            return 0;
        }
        long total = 0;
        for (int t = 0; t < taskReturned.length; t++) {
            total += taskReturnedAt(t, now);
        }
        return total;
    }

    /** Index of the task of member {@code memberIndex}, or -1; tasks are sorted by member index. */
    int taskOf(int memberIndex) {
        int i = Arrays.binarySearch(taskMember, memberIndex);
        return i >= 0 ? i : -1;
    }
}
