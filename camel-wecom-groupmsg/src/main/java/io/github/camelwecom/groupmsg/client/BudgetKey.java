package io.github.camelwecom.groupmsg.client;

import java.util.ArrayDeque;

/**
 * What {@link CallBudget} keeps for one corp's API, or for the calling IP's API ({@code corpId} null): its window, its
 * pause after a 45009, its waiting calls in order per priority (made when first needed), and its counters. Guarded by
 * the budget's lock.
 */
final class BudgetKey {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;

    final String corpId;
    final GroupMsgApi api;
    final BudgetWindow window = new BudgetWindow();
    long granted;
    long refused;
    long pauses;
    long waitedMillis;
    int waiting;
    /** Epoch millis until which no call goes out; {@link Long#MIN_VALUE} before the first pause. */
    long pausedUntil = Long.MIN_VALUE;
    private ArrayDeque<CallBudget.Ticket> fresh;
    private ArrayDeque<CallBudget.Ticket> backfill;

    BudgetKey(String corpId, GroupMsgApi api) {
        this.corpId = corpId;
        this.api = api;
    }

    /**
     * 0 when a call fits now; otherwise the epoch millis at which that may change (the pause ends, or the oldest bucket
     * of a full window expires).
     */
    long blockedUntil(long now, int perMinute, int perHour) {
        if (now < pausedUntil) {
            return pausedUntil;
        }
        window.roll(now);
        return window.fits(perMinute, perHour) ? 0 : window.changesAt(perMinute, perHour);
    }

    /**
     * WeCom blocks an API that answered 45009 for the rest of the minute, or of the hour when the hour's limit is the
     * one passed: a 45009 within a minute after the last pause ended says that. Whether a new pause began: answers to
     * calls sent before the pause do not make another.
     */
    boolean pause(long now) {
        if (now < pausedUntil) {
            return false;
        }
        boolean again = pausedUntil != Long.MIN_VALUE && now - pausedUntil < MINUTE;
        long block = again ? HOUR : MINUTE;
        pausedUntil = (Math.floorDiv(now, block) + 1) * block;
        pauses++;
        return true;
    }

    /** Whether this ticket is the first of its priority waiting here: the key joins that priority's turns. */
    boolean enqueue(CallBudget.Ticket ticket) {
        ArrayDeque<CallBudget.Ticket> queue = queue(ticket.priority, true);
        queue.addLast(ticket);
        waiting++;
        return queue.size() == 1;
    }

    /** The first call of {@code priority} waiting here, taken out. */
    CallBudget.Ticket poll(CallBudget.Priority priority) {
        CallBudget.Ticket ticket = queue(priority, false).pollFirst();
        waiting--;
        dropIfEmpty(priority);
        return ticket;
    }

    boolean hasWaiting(CallBudget.Priority priority) {
        ArrayDeque<CallBudget.Ticket> queue = queue(priority, false);
        return queue != null && !queue.isEmpty();
    }

    /** Takes out a ticket whose thread stopped waiting; whether none of its priority is left. */
    boolean withdraw(CallBudget.Ticket ticket) {
        ArrayDeque<CallBudget.Ticket> queue = queue(ticket.priority, false);
        if (queue != null && queue.remove(ticket)) {
            waiting--;
        }
        dropIfEmpty(ticket.priority);
        return !hasWaiting(ticket.priority);
    }

    /** An empty queue is dropped: 6,000 keys that wait once in a while hold no queues between. */
    private void dropIfEmpty(CallBudget.Priority priority) {
        if (!hasWaiting(priority)) {
            if (priority == CallBudget.Priority.FRESH) {
                fresh = null;
            } else {
                backfill = null;
            }
        }
    }

    private ArrayDeque<CallBudget.Ticket> queue(CallBudget.Priority priority, boolean create) {
        if (priority == CallBudget.Priority.FRESH) {
            if (fresh == null && create) {
                fresh = new ArrayDeque<>(4);
            }
            return fresh;
        }
        if (backfill == null && create) {
            backfill = new ArrayDeque<>(4);
        }
        return backfill;
    }
}
