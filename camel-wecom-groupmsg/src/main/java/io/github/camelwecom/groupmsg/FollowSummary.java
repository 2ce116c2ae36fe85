package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The periodic line of a follow-mode consumer, so that a quiet export still says it is alive: what it emitted and
 * called since the last line, read from the endpoint's {@link WecomGroupMsgStatistics} (nothing is counted twice). Told
 * of the time by the caller, so that a test's clock decides when a line is due.
 */
final class FollowSummary {

    /** WeCom's limit per corp and API, shared with the corp's other apps: 10,000 calls a minute. */
    static final long CALLS_PER_MINUTE = 10_000;

    private final WecomGroupMsgStatistics statistics;
    private final long intervalMillis;
    private long sinceMillis;
    private long emittedBefore;
    private long updatedBefore;
    private Map<String, Long> callsBefore;

    FollowSummary(WecomGroupMsgStatistics statistics, long intervalMillis, long nowMillis, long updated) {
        this.statistics = statistics;
        this.intervalMillis = intervalMillis;
        startInterval(nowMillis, updated);
    }

    /**
     * @param updated records emitted as UPDATED so far
     * @param completeUpTo the end of the last pass read to its end, formatted; null before the first
     * @return the line, when the interval has passed since the last one (which starts the next interval); else null
     */
    String next(long nowMillis, long updated, String completeUpTo) {
        long elapsed = nowMillis - sinceMillis;
        if (elapsed < intervalMillis) {
            return null;
        }
        long emitted = statistics.getRecordsEmitted() - emittedBefore;
        long updatedNow = updated - updatedBefore;
        String line = String.format(Locale.ROOT, "following, %d records in the last %s (%d NEW, %d UPDATED; %d in "
                + "total), %s, %s", emitted, Duration.ofSeconds(elapsed / 1000), emitted - updatedNow, updatedNow,
                statistics.getRecordsEmitted(), calls(elapsed),
                completeUpTo == null ? "catching up, no pass complete yet" : "complete up to " + completeUpTo);
        startInterval(nowMillis, updated);
        return line;
    }

    /** The calls since the last line and the busiest API's share of WeCom's per-minute quota, at its average rate. */
    private String calls(long elapsedMillis) {
        Map<String, Long> now = callsByApi();
        long total = 0;
        String busiest = null;
        long most = 0;
        for (Map.Entry<String, Long> api : now.entrySet()) {
            long calls = api.getValue() - callsBefore.getOrDefault(api.getKey(), 0L);
            total += calls;
            if (calls > most) {
                busiest = api.getKey();
                most = calls;
            }
        }
        if (busiest == null) {
            return "0 API calls";
        }
        double perMinute = most * 60_000.0 / Math.max(elapsedMillis, 1);
        return String.format(Locale.ROOT, "%d API calls (busiest %s: %.1f a minute, %.2f %% of WeCom's %,d a minute "
                + "per corp and API)", total, busiest, perMinute, perMinute * 100 / CALLS_PER_MINUTE,
                CALLS_PER_MINUTE);
    }

    private void startInterval(long nowMillis, long updated) {
        sinceMillis = nowMillis;
        emittedBefore = statistics.getRecordsEmitted();
        updatedBefore = updated;
        callsBefore = callsByApi();
    }

    /** Calls by api, successes and failures together: WeCom counts both. */
    private Map<String, Long> callsByApi() {
        Map<String, Long> byApi = new TreeMap<>();
        statistics.getCalls().forEach((key, count) -> byApi.merge(key.substring(0, key.indexOf('.')), count,
                Long::sum));
        return byApi;
    }
}
