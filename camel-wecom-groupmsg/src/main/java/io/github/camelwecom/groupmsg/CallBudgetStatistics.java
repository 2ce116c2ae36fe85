package io.github.camelwecom.groupmsg;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.github.camelwecom.groupmsg.client.CallBudget;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;

/**
 * The call budget's counts per corp and API (or the calling IP's per API), each once: its key (JMX and the dev
 * console), its Micrometer meter and how it is read from {@link CallBudget.Statistics}.
 */
enum CallBudgetStatistics {

    GRANTED("granted", "wecom.groupmsg.budget.granted", true, "Calls the call budget let go to WeCom",
            CallBudget.Statistics::granted),
    WAITING("waiting", "wecom.groupmsg.budget.waiting", false, "Calls waiting for the call budget now",
            CallBudget.Statistics::waiting),
    WAITED("waitedSeconds", "wecom.groupmsg.budget.waited", true,
            "Seconds the granted calls waited for the call budget, together", s -> s.waited().toMillis() / 1000.0),
    REFUSED("refused", "wecom.groupmsg.budget.refused", true, "Calls WeCom refused with 45009 (api freq out of limit)",
            CallBudget.Statistics::refused),
    PAUSES("pauses", "wecom.groupmsg.budget.pauses", true,
            "Pauses of every call after a 45009, until WeCom's block ends",
            CallBudget.Statistics::pauses),
    MINUTE_USED("minuteUsed", "wecom.groupmsg.budget.minute.used", false,
            "Calls of the last minute as a fraction of the minute's budget", CallBudget.Statistics::minuteUsed),
    HOUR_USED("hourUsed", "wecom.groupmsg.budget.hour.used", false,
            "Calls of the last hour as a fraction of the hour's budget", CallBudget.Statistics::hourUsed),
    PAUSED_UNTIL("pausedUntil", null, false, "When the current pause after 45009 ends; empty when not paused",
            s -> s.pausedUntil() == null ? "" : s.pausedUntil().toString());

    final String key;
    /** Null: not a number, no meter. */
    final String meterName;
    /** A counter (only grows) rather than a gauge. */
    final boolean counter;
    final String description;
    private final Function<CallBudget.Statistics, Object> getter;

    CallBudgetStatistics(String key, String meterName, boolean counter, String description,
            Function<CallBudget.Statistics, Object> getter) {
        this.key = key;
        this.meterName = meterName;
        this.counter = counter;
        this.description = description;
        this.getter = getter;
    }

    double number(CallBudget.Statistics statistics) {
        return ((Number) getter.apply(statistics)).doubleValue();
    }

    /** Every count of one corp's API (or the IP's), by key. */
    static Map<String, Object> of(CallBudget.Statistics statistics) {
        Map<String, Object> answer = new LinkedHashMap<>();
        for (CallBudgetStatistics statistic : values()) {
            answer.put(statistic.key, statistic.getter.apply(statistics));
        }
        return answer;
    }

    /** {@code corpId}'s counts per API (by its URI name); empty when the budget is off. */
    static Map<String, Object> ofCorp(CallBudget budget, String corpId) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (budget != null) {
            for (GroupMsgApi api : GroupMsgApi.values()) {
                answer.put(api.uriName(), of(budget.statistics(corpId, api)));
            }
        }
        return answer;
    }

    /** The calling IP's counts per API, against its limits; empty when the budget is off. */
    static Map<String, Object> ofIp(CallBudget budget) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (budget != null) {
            for (GroupMsgApi api : GroupMsgApi.values()) {
                answer.put(api.uriName(), of(budget.ipStatistics(api)));
            }
        }
        return answer;
    }
}
