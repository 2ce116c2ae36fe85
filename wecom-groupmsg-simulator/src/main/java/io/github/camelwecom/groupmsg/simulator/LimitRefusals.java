package io.github.camelwecom.groupmsg.simulator;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls refused with 45009 by the simulator's {@link CallLimits} (not injected {@link Fault#FREQ_LIMIT}s, which count
 * as faults). Each refusal is counted once, under the first limit that refused it. Thread-safe; emptied by
 * {@link SimulatorCounters#reset()}.
 */
public final class LimitRefusals {
    private final LongAdder[][] byApiAndLimit = new LongAdder[Api.values().length][CallLimit.values().length];
    private final Map<String, LongAdder> byCorp = new ConcurrentHashMap<>();

    LimitRefusals() {
        for (LongAdder[] row : byApiAndLimit) {
            for (int i = 0; i < row.length; i++) {
                row[i] = new LongAdder();
            }
        }
    }

    /** All refusals. */
    public long total() {
        long sum = 0;
        for (Api api : Api.values()) {
            sum += of(api);
        }
        return sum;
    }

    /** Refusals of calls to {@code api}, by any limit. */
    public long of(Api api) {
        long sum = 0;
        for (CallLimit limit : CallLimit.values()) {
            sum += of(api, limit);
        }
        return sum;
    }

    /** Refusals by {@code limit}, of any API. */
    public long of(CallLimit limit) {
        long sum = 0;
        for (Api api : Api.values()) {
            sum += of(api, limit);
        }
        return sum;
    }

    public long of(Api api, CallLimit limit) {
        return byApiAndLimit[api.ordinal()][limit.ordinal()].sum();
    }

    /** Refusals of calls to {@code api} by a per-corp (or per-IP) limit, minute and hour together. */
    public long of(Api api, CallLimit.Scope scope) {
        long sum = 0;
        for (CallLimit limit : CallLimit.values()) {
            sum += limit.scope() == scope ? of(api, limit) : 0;
        }
        return sum;
    }

    /** Refusals of calls whose access_token is {@code corpId}'s, by any limit (a per-IP one too). */
    public long ofCorp(String corpId) {
        LongAdder a = byCorp.get(Objects.requireNonNull(corpId, "corpId"));
        return a == null ? 0 : a.sum();
    }

    void refused(Api api, CallLimit limit, String corp) {
        byApiAndLimit[api.ordinal()][limit.ordinal()].increment();
        if (corp != null) {
            byCorp.computeIfAbsent(corp, c -> new LongAdder()).increment();
        }
    }

    void reset() {
        for (LongAdder[] row : byApiAndLimit) {
            for (LongAdder a : row) {
                a.reset();
            }
        }
        byCorp.clear();
    }

    @Override
    public String toString() {
        return "LimitRefusals[total=" + total() + ", corp=" + byCorp + "]";
    }
}
