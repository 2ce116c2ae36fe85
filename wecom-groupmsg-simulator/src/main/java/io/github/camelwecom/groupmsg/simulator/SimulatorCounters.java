package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * What the simulator has served, for tests and benchmarks to assert on. Thread-safe.
 *
 * <p>
 * Besides counts it keeps a log of the last {@value #MAX_LOGGED} calls ({@link ApiCall}: API, arrival and answer times,
 * fault, errcode), from which a test can check a client-side rate limit ({@link #maxCallsInAnyWindow}) and the backoff
 * after a failure ({@link #gapsAfter}, {@link #retryGapsAfter}).
 */
public final class SimulatorCounters {
    /** Calls the log keeps; older ones are dropped first. */
    public static final int MAX_LOGGED = 1_000_000;
    private static final Comparator<ApiCall> BY_START = Comparator.comparingLong(ApiCall::startNanos);

    private final LongAdder[] calls = adders(Api.values().length);
    private final LongAdder[] successes = adders(Api.values().length);
    private final LongAdder[] faults = adders(Fault.values().length);
    private final LongAdder tokensIssued = new LongAdder();
    private final LongAdder suiteTokensIssued = new LongAdder();
    private final LongAdder concurrencyRejections = new LongAdder();
    private final LimitRefusals limitRefusals = new LimitRefusals();
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final ArrayDeque<ApiCall> log = new ArrayDeque<>();
    private long droppedCalls;

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

    /**
     * New access_tokens handed out, by gettoken or get_corp_token (a valid token handed out again does not count).
     */
    public long tokensIssued() {
        return tokensIssued.sum();
    }

    /** New suite_access_tokens handed out by get_suite_token (a valid one handed out again does not count). */
    public long suiteTokensIssued() {
        return suiteTokensIssued.sum();
    }

    /** Requests refused with 45033 because the configured concurrency cap was exceeded (not injected faults). */
    public long concurrencyRejections() {
        return concurrencyRejections.sum();
    }

    /**
     * Calls refused with 45009 by the {@link CallLimits} the simulator enforces, by limit, API and corp. Such calls
     * count in {@link #calls(Api)} and the call log (errcode 45009, no fault), not in successes or faults.
     */
    public LimitRefusals limitRefusals() {
        return limitRefusals;
    }

    /** Requests being handled right now. */
    public int currentConcurrent() {
        return current.get();
    }

    /** Most requests handled at once since start or the last {@link #reset()}. */
    public int peakConcurrent() {
        return peak.get();
    }

    /** Every logged call (at most {@link #MAX_LOGGED}, the latest), in order of arrival. */
    public List<ApiCall> callLog() {
        List<ApiCall> calls;
        synchronized (log) {
            calls = new ArrayList<>(log);
        }
        calls.sort(BY_START);
        return calls;
    }

    /** The logged calls to {@code api}, in order of arrival. */
    public List<ApiCall> callLog(Api api) {
        Objects.requireNonNull(api, "api");
        return callLog().stream().filter(c -> c.api() == api).toList();
    }

    /** Arrival times ({@link System#nanoTime()}) of the logged calls to {@code api}, ascending. */
    public List<Long> callTimesNanos(Api api) {
        return callLog(api).stream().map(ApiCall::startNanos).toList();
    }

    /** Calls dropped from the log because it was full (0 unless more than {@link #MAX_LOGGED} calls were made). */
    public long droppedFromCallLog() {
        synchronized (log) {
            return droppedCalls;
        }
    }

    /**
     * The most calls to {@code api} that arrived within any span of {@code window} (half-open: calls exactly
     * {@code window} apart are in different spans). A client limited to N requests per second must keep
     * {@code maxCallsInAnyWindow(api, Duration.ofSeconds(1)) <= N}.
     */
    public long maxCallsInAnyWindow(Api api, Duration window) {
        return maxCallsInAnyWindow(EnumSet.of(api), window);
    }

    /** Like {@link #maxCallsInAnyWindow(Api, Duration)} over calls to any of {@code apis} together. */
    public long maxCallsInAnyWindow(Collection<Api> apis, Duration window) {
        Set<Api> wanted = EnumSet.copyOf(apis);
        long[] starts =
                callLog().stream().filter(c -> wanted.contains(c.api())).mapToLong(ApiCall::startNanos).toArray();
        return maxInWindow(starts, window.toNanos());
    }

    /**
     * For each call to {@code api} answered with {@code errcode} (e.g. 45009), the time from its answer to the arrival
     * of the next call to the same API that came after that answer; calls with no later call are left out. With several
     * requests in flight at once the next call may be another request; see {@link #retryGapsAfter}.
     */
    public List<Duration> gapsAfter(Api api, int errcode) {
        return gaps(api, c -> c.answered(errcode), false);
    }

    /**
     * Like {@link #gapsAfter(Api, int)}, but up to the next call asking the same thing ({@link ApiCall#sameRequestAs}):
     * the client's backoff before retrying that very request.
     */
    public List<Duration> retryGapsAfter(Api api, int errcode) {
        return gaps(api, c -> c.answered(errcode), true);
    }

    /** Like {@link #retryGapsAfter(Api, int)} after the calls that got {@code fault} injected (e.g. HTTP_429). */
    public List<Duration> retryGapsAfter(Api api, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        return gaps(api, c -> c.fault() == fault, true);
    }

    /** Zeroes everything but the requests in flight, which also become the new peak; empties the call log. */
    public void reset() {
        for (LongAdder[] group : new LongAdder[][] { calls, successes, faults }) {
            for (LongAdder a : group) {
                a.reset();
            }
        }
        tokensIssued.reset();
        suiteTokensIssued.reset();
        concurrencyRejections.reset();
        limitRefusals.reset();
        peak.set(current.get());
        synchronized (log) {
            log.clear();
            droppedCalls = 0;
        }
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
                .append(", limitRefusals=").append(limitRefusals.total())
                .append(", peak=").append(peakConcurrent()).append(']').toString();
    }

    void logged(ApiCall call) {
        synchronized (log) {
            if (log.size() >= MAX_LOGGED) {
                log.removeFirst();
                droppedCalls++;
            }
            log.addLast(call);
        }
    }

    /** The most values of sorted-or-not {@code starts} within any half-open span of {@code window} nanos. */
    static long maxInWindow(long[] starts, long window) {
        if (window <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        long[] t = starts.clone();
        Arrays.sort(t);
        int best = 0;
        int from = 0;
        for (int to = 0; to < t.length; to++) {
            while (t[to] - t[from] >= window) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }

    private List<Duration> gaps(Api api, Predicate<ApiCall> failed, boolean sameRequest) {
        List<ApiCall> calls = callLog(api);
        List<Duration> gaps = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            ApiCall f = calls.get(i);
            if (!failed.test(f)) {
                continue;
            }
            for (int j = i + 1; j < calls.size(); j++) {
                ApiCall next = calls.get(j);
                if (next.startNanos() - f.endNanos() >= 0 && (!sameRequest || next.sameRequestAs(f))) {
                    gaps.add(Duration.ofNanos(next.startNanos() - f.endNanos()));
                    break;
                }
            }
        }
        return gaps;
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

    void suiteTokenIssued() {
        suiteTokensIssued.increment();
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
