package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;

/** Settings that may change while the server runs; read on every request, hence volatile. */
final class RuntimeSettings {
    private volatile Duration latency;
    private volatile int maxConcurrentRequests;

    RuntimeSettings(Duration latency, int maxConcurrentRequests) {
        setLatency(latency);
        setMaxConcurrentRequests(maxConcurrentRequests);
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
}
