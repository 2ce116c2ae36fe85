package io.github.camelwecom.groupmsg.simulator;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the simulator has served, for tests and benchmarks to assert on. Thread-safe. */
public final class SimulatorCounters {
    private final LongAdder[] calls = adders(Api.values().length);
    private final LongAdder[] successes = adders(Api.values().length);
    private final LongAdder[] faults = adders(Fault.values().length);
    private final LongAdder tokensIssued = new LongAdder();
    private final LongAdder concurrencyRejections = new LongAdder();
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    SimulatorCounters() {
    }

    /** Requests to {@code api}, whatever their outcome. */
    public long calls(Api api) {
        return calls[api.ordinal()].sum();
    }

    /** Requests to {@code api} answered with errcode 0. */
    public long successes(Api api) {
        return successes[api.ordinal()].sum();
    }

    /** Times {@code fault} was injected. */
    public long faults(Fault fault) {
        return faults[fault.ordinal()].sum();
    }

    public long totalCalls() {
        return sum(calls);
    }

    public long totalFaults() {
        return sum(faults);
    }

    /** New tokens handed out (a valid token handed out again does not count). */
    public long tokensIssued() {
        return tokensIssued.sum();
    }

    /** Requests refused with 45033 because the configured concurrency cap was exceeded (not injected faults). */
    public long concurrencyRejections() {
        return concurrencyRejections.sum();
    }

    /** Requests being handled right now. */
    public int currentConcurrent() {
        return current.get();
    }

    /** Most requests handled at once since start or the last {@link #reset()}. */
    public int peakConcurrent() {
        return peak.get();
    }

    /** Zeroes everything but the requests in flight, which also become the new peak. */
    public void reset() {
        for (LongAdder[] group : new LongAdder[][] {calls, successes, faults}) {
            for (LongAdder a : group) {
                a.reset();
            }
        }
        tokensIssued.reset();
        concurrencyRejections.reset();
        peak.set(current.get());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SimulatorCounters[");
        for (Api api : Api.values()) {
            sb.append(api).append('=').append(calls(api)).append('/').append(successes(api)).append("ok, ");
        }
        for (Fault f : Fault.values()) {
            if (faults(f) > 0) {
                sb.append(f).append('=').append(faults(f)).append(", ");
            }
        }
        return sb.append("tokens=").append(tokensIssued()).append(", rejected=").append(concurrencyRejections())
                .append(", peak=").append(peakConcurrent()).append(']').toString();
    }

    void called(Api api) {
        calls[api.ordinal()].increment();
    }

    void succeeded(Api api) {
        successes[api.ordinal()].increment();
    }

    void injected(Fault fault) {
        faults[fault.ordinal()].increment();
    }

    void tokenIssued() {
        tokensIssued.increment();
    }

    void rejectedByCap() {
        concurrencyRejections.increment();
    }

    /** Marks a request as started; returns how many are in flight including it. */
    int enter() {
        int now = current.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        return now;
    }

    void leave() {
        current.decrementAndGet();
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    private static long sum(LongAdder[] adders) {
        long s = 0;
        for (LongAdder a : adders) {
            s += a.sum();
        }
        return s;
    }
}
