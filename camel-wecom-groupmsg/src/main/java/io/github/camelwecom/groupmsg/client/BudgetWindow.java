package io.github.camelwecom.groupmsg.client;

/**
 * Calls counted over the last minute (60 one-second buckets) and the last hour (60 one-minute buckets), buckets aligned
 * to the wall clock's seconds and minutes: every natural minute and hour, as WeCom counts them, is one such window, so
 * a limit held by every window is held by WeCom's too. Fixed size whatever the call rate: no timestamps per call. Not
 * thread-safe: {@link CallBudget} holds its lock.
 */
final class BudgetWindow {

    static final int BUCKETS = 60;
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60_000;

    private final int[] seconds = new int[BUCKETS];
    private final int[] minutes = new int[BUCKETS];
    /** The second and minute (since the epoch) the newest buckets stand for; older ones expire as time moves on. */
    private long second = Long.MIN_VALUE;
    private long minute = Long.MIN_VALUE;
    private int minuteTotal;
    private int hourTotal;

    /** Moves the windows to {@code nowMillis}, dropping buckets that left them; a clock set back moves nothing. */
    void roll(long nowMillis) {
        long s = Math.floorDiv(nowMillis, SECOND);
        if (s > second) {
            minuteTotal -= expire(seconds, second, s);
            second = s;
        }
        long m = Math.floorDiv(nowMillis, MINUTE);
        if (m > minute) {
            hourTotal -= expire(minutes, minute, m);
            minute = m;
        }
    }

    /** Empties the buckets of {@code from+1 .. to} (at most all of them); how many calls they held. */
    private static int expire(int[] buckets, long from, long to) {
        long steps = from == Long.MIN_VALUE ? BUCKETS : Math.min(BUCKETS, to - from);
        int dropped = 0;
        for (long i = to - steps + 1; i <= to; i++) {
            int slot = (int) Math.floorMod(i, (long) BUCKETS);
            dropped += buckets[slot];
            buckets[slot] = 0;
        }
        return dropped;
    }

    boolean fits(int perMinute, int perHour) {
        return minuteTotal < perMinute && hourTotal < perHour;
    }

    /** Counts one call in the current second and minute (after {@link #roll}). */
    void add() {
        seconds[(int) Math.floorMod(second, (long) BUCKETS)]++;
        minutes[(int) Math.floorMod(minute, (long) BUCKETS)]++;
        minuteTotal++;
        hourTotal++;
    }

    int lastMinute() {
        return minuteTotal;
    }

    int lastHour() {
        return hourTotal;
    }

    /**
     * The earliest time (epoch millis) at which a window that is full now loses calls: its oldest non-empty bucket
     * expires. It may still be full then (a lowered limit); the caller asks again.
     */
    long changesAt(int perMinute, int perHour) {
        long at = Long.MIN_VALUE;
        if (minuteTotal >= perMinute) {
            at = Math.max(at, (oldest(seconds, second) + BUCKETS) * SECOND);
        }
        if (hourTotal >= perHour) {
            at = Math.max(at, (oldest(minutes, minute) + BUCKETS) * MINUTE);
        }
        return at;
    }

    /** The oldest second or minute of the window that holds a call. */
    private static long oldest(int[] buckets, long newest) {
        for (long i = newest - BUCKETS + 1; i < newest; i++) {
            if (buckets[(int) Math.floorMod(i, (long) BUCKETS)] > 0) {
                return i;
            }
        }
        return newest;
    }

    /** The bucket arrays' combined length: what one key costs, whatever it counted. */
    int size() {
        return seconds.length + minutes.length;
    }
}
