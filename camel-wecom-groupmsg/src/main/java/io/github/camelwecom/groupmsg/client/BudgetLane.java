package io.github.camelwecom.groupmsg.client;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * One API's share of {@link CallBudget}: the calling IP's budget for it, and the corps whose calls to it wait, in turns
 * per priority. Guarded by the budget's lock.
 */
final class BudgetLane {

    private static final long MINUTE = 60_000;

    final BudgetKey ip;
    private final ArrayDeque<BudgetKey> freshTurns = new ArrayDeque<>();
    private final ArrayDeque<BudgetKey> backfillTurns = new ArrayDeque<>();
    /** Corps that got 45009 for this API in the last minute, and when. */
    private final Map<String, Long> refusedCorps = new HashMap<>();
    /** When a call still waiting may go at the earliest (epoch millis). */
    long nextChange = Long.MAX_VALUE;

    BudgetLane(GroupMsgApi api) {
        this.ip = new BudgetKey(null, api);
    }

    void enqueue(CallBudget.Ticket ticket) {
        ip.waiting++;
        if (ticket.key.enqueue(ticket)) {
            turns(ticket.priority).addLast(ticket.key);
        }
    }

    void withdraw(CallBudget.Ticket ticket) {
        ip.waiting--;
        if (ticket.key.withdraw(ticket)) {
            turns(ticket.priority).remove(ticket.key);
        }
    }

    /**
     * Grants every waiting call that fits now: FRESH before BACKFILL, and within a priority the corps in turn, one call
     * each, so a corp with many calls waiting cannot starve the others. A corp over its own budget is passed over; once
     * the IP's budget is spent, nobody goes. Sets {@link #nextChange}.
     */
    void dispatch(long now, CallBudget.Effective limits, CallBudget.Grants grants) {
        long next = Long.MAX_VALUE;
        for (CallBudget.Priority priority : CallBudget.Priority.values()) {
            ArrayDeque<BudgetKey> turns = turns(priority);
            int passedOver = 0;
            while (passedOver < turns.size()) {
                long ipBlocked = ip.blockedUntil(now, limits.ipPerMinute(), limits.ipPerHour());
                if (ipBlocked != 0) {
                    nextChange = Math.min(next, ipBlocked);
                    return;
                }
                BudgetKey corp = turns.pollFirst();
                long corpBlocked = corp.blockedUntil(now, limits.corpPerMinute(), limits.corpPerHour());
                if (corpBlocked == 0) {
                    grants.grant(corp.poll(priority), ip, now);
                    passedOver = 0;
                } else {
                    next = Math.min(next, corpBlocked);
                    passedOver++;
                }
                if (corp.hasWaiting(priority)) {
                    turns.addLast(corp);
                }
            }
        }
        nextChange = next;
    }

    /**
     * Notes {@code corpId}'s 45009; whether {@code corpsToPauseIp} corps got one within a minute: then it is more
     * likely the IP's limit than each corp's, and the IP's API is paused instead.
     */
    boolean refusedBy(String corpId, long now, int corpsToPauseIp) {
        ip.refused++;
        refusedCorps.values().removeIf(at -> now - at >= MINUTE);
        refusedCorps.put(corpId, now);
        if (refusedCorps.size() < corpsToPauseIp) {
            return false;
        }
        refusedCorps.clear();
        return true;
    }

    private ArrayDeque<BudgetKey> turns(CallBudget.Priority priority) {
        return priority == CallBudget.Priority.FRESH ? freshTurns : backfillTurns;
    }
}
