package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * The simulator's "now": the real clock unless a fixed instant was set. Statuses depend on it (a task is unsent until
 * its send_time has come) and so does which messages exist (none created after now). Thread-safe.
 */
final class SimClock {
    /** Stands for "every record settled": later than any send time. */
    static final long SETTLED = Long.MAX_VALUE;

    private volatile Instant fixed;

    SimClock(Instant fixed) {
        this.fixed = fixed;
    }

    /** Null returns to the real clock. */
    void set(Instant now) {
        this.fixed = now;
    }

    /** Moves a fixed now by {@code amount}; when following the real clock, fixes now at real now + amount. */
    synchronized void advance(Duration amount) {
        fixed = now().plus(amount);
    }

    /** The fixed instant, or null when following the real clock. */
    Instant fixed() {
        return fixed;
    }

    Instant now() {
        Instant f = fixed;
        return f != null ? f : Instant.now();
    }

    long nowEpochSecond() {
        return now().getEpochSecond();
    }
}
