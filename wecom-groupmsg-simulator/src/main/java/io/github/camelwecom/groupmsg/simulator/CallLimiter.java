package io.github.camelwecom.groupmsg.simulator;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * WeCom's call limits as the simulator enforces them ({@link WecomSimulator#callLimiter()}). Counts the mass-message
 * calls per (corp, API) and per (client IP, API) in fixed minutes and hours of its clock, and refuses a call once a
 * count has reached its {@link CallLimits} with 45009 {@code api freq out of limit}: every later call of that corp's
 * (or IP's) API is refused until the window ends. Windows are fixed and aligned to whole minutes and hours of the limit
 * clock ({@link WecomSimulator.Builder#limitClock}), not the simulated now.
 *
 * <p>
 * A refused call counts toward no limit: WeCom's document speaks of calls it handles, and counting refusals would make
 * a client that retries within a blocked minute use up its hour too. A call that passes counts toward all four windows
 * at once (one lock), so concurrent calls never overshoot a limit. gettoken and the suite token APIs are not counted
 * (WeCom limits them apart). A call whose token names no corp (unknown token) counts per IP only.
 */
public final class CallLimiter {
    private record Key(CallLimit limit, String who, Api api) {
    }

    private static final class Window {
        long index = Long.MIN_VALUE;
        long count;
    }

    private final Clock clock;
    private final Map<Key, Window> windows = new HashMap<>();
    private volatile CallLimits limits;

    CallLimiter(CallLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "callLimits");
        this.clock = Objects.requireNonNull(clock, "limitClock");
    }

    /** The limits in force; {@link CallLimits#none()} unless set. */
    public CallLimits limits() {
        return limits;
    }

    /**
     * Enforces {@code limits} from the next call on ({@link CallLimits#none()} turns enforcement off). Counts of the
     * windows under way are kept; nothing is counted while every limit is off.
     */
    public void setLimits(CallLimits limits) {
        this.limits = Objects.requireNonNull(limits, "callLimits");
    }

    /** The first limit (in {@link CallLimit} order) that refuses the call, or null when it passes and is counted. */
    CallLimit admit(Api api, String corp, String ip) {
        CallLimits l = limits;
        if (l.isOff() || !api.isGroupMsg()) {
            return null;
        }
        long second = clock.instant().getEpochSecond();
        Window[] passed = new Window[CallLimit.values().length];
        synchronized (windows) {
            for (CallLimit limit : CallLimit.values()) {
                String who = limit.scope() == CallLimit.Scope.CORP ? corp : ip;
                if (l.of(limit) == 0 || who == null) {
                    continue;
                }
                Window w = windows.computeIfAbsent(new Key(limit, who, api), k -> new Window());
                long index = Math.floorDiv(second, limit.windowSeconds());
                if (w.index != index) {
                    w.index = index;
                    w.count = 0;
                }
                if (w.count >= l.of(limit)) {
                    return limit;
                }
                passed[limit.ordinal()] = w;
            }
            for (Window w : passed) {
                if (w != null) {
                    w.count++;
                }
            }
        }
        return null;
    }
}
