package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;

/** Settings that may change while the server runs; read on every request, hence volatile. */
final class RuntimeSettings {
    private volatile Duration latency;
    private volatile int maxConcurrentRequests;
    private volatile boolean endTimeExclusive;
    private volatile boolean refuseZeroWidthWindows;

    RuntimeSettings(Duration latency, int maxConcurrentRequests, boolean endTimeExclusive,
            boolean refuseZeroWidthWindows) {
        setLatency(latency);
        setMaxConcurrentRequests(maxConcurrentRequests);
        this.endTimeExclusive = endTimeExclusive;
        this.refuseZeroWidthWindows = refuseZeroWidthWindows;
    }

    Duration latency() {
        return latency;
    }

    void setLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
    }

    /** 0 means no cap. */
    int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    void setMaxConcurrentRequests(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxConcurrentRequests must be >= 0");
        }
        this.maxConcurrentRequests = max;
    }

    /** Whether get_groupmsg_list_v2 leaves out messages created at end_time (by default both ends are inclusive). */
    boolean endTimeExclusive() {
        return endTimeExclusive;
    }

    void setEndTimeExclusive(boolean exclusive) {
        this.endTimeExclusive = exclusive;
    }

    /** Whether get_groupmsg_list_v2 refuses start_time == end_time with 40058 instead of listing that second. */
    boolean refuseZeroWidthWindows() {
        return refuseZeroWidthWindows;
    }

    void setRefuseZeroWidthWindows(boolean refuse) {
        this.refuseZeroWidthWindows = refuse;
    }
}
