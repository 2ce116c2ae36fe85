package io.github.camelwecom.groupmsg.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeCom's call limits, kept before the calls are sent: per corp and API, and per calling IP and API, over the last
 * minute and the last hour. A call waits until it fits both; waiting calls go FRESH before BACKFILL, and within a
 * priority the corps take turns. A 45009 answer ({@link #refused}) pauses the corp's API for every client until WeCom's
 * block ends, or the IP's API when several corps got one. One per {@link WecomClientFactory}, shared by its clients.
 * <p>
 * gettoken is not counted: WeCom limits it apart from these APIs, and the token cache already calls it about once per
 * token lifetime; a token fetch waiting behind a backfill would hold every call of its corp.
 */
public final class CallBudget {

    private static final Logger LOG = LoggerFactory.getLogger(CallBudget.class);

    /** Who goes first when the budget binds. */
    public enum Priority {
        /** Follow mode's reading of recent changes. */
        FRESH,
        /** History: a bounded export, a following export's first pass. */
        BACKFILL
    }

    /**
     * WeCom's limits and how much of them this application takes.
     *
     * @param corpPerMinute calls per corp and API a minute, shared with the corp's other apps
     * @param corpPerHour calls per corp and API an hour
     * @param ipPerMinute calls per calling IP and API a minute
     * @param ipPerHour calls per calling IP and API an hour
     * @param share the part of each limit this application takes (0 &lt; share &lt;= 1); the rest stays for the other
     * apps of the corp, which mostly call from the same network, so the IP's limits are shared likewise
     * @param corpsToPauseIp how many corps must get 45009 for one API within a minute before the IP's API is paused
     */
    public record Limits(int corpPerMinute, int corpPerHour, int ipPerMinute, int ipPerHour, double share,
            int corpsToPauseIp) {

        /** An app of the corp's own (self-built or 代开发): WeCom's numbers, half of them taken. */
        public static final Limits DEFAULT = new Limits(10_000, 150_000, 20_000, 600_000, 0.5, 3);
        /** A third-party service provider's app: WeCom allows its IPs twice the calls. */
        public static final Limits SERVICE_PROVIDER = DEFAULT.withIpLimits(40_000, 1_200_000);

        public Limits {
            atLeastOne("corpPerMinute", corpPerMinute);
            atLeastOne("corpPerHour", corpPerHour);
            atLeastOne("ipPerMinute", ipPerMinute);
            atLeastOne("ipPerHour", ipPerHour);
            atLeastOne("corpsToPauseIp", corpsToPauseIp);
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException(
                        "Invalid call budget share " + share + ": allowed is more than 0 and at most 1");
            }
        }

        private static void atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(
                        "Invalid call budget " + name + " " + value + ": allowed is a whole number of at least 1");
            }
        }

        public Limits withShare(double share) {
            return new Limits(corpPerMinute, corpPerHour, ipPerMinute, ipPerHour, share, corpsToPauseIp);
        }

        public Limits withCorpLimits(int perMinute, int perHour) {
            return new Limits(perMinute, perHour, ipPerMinute, ipPerHour, share, corpsToPauseIp);
        }

        public Limits withIpLimits(int perMinute, int perHour) {
            return new Limits(corpPerMinute, corpPerHour, perMinute, perHour, share, corpsToPauseIp);
        }

        public Limits withCorpsToPauseIp(int corps) {
            return new Limits(corpPerMinute, corpPerHour, ipPerMinute, ipPerHour, share, corps);
        }

        /** The limits this replica keeps: each times share, the IP's divided among the replicas behind that IP. */
        Effective effective(int replicas) {
            return new Effective(part(corpPerMinute, 1), part(corpPerHour, 1), part(ipPerMinute, replicas),
                    part(ipPerHour, replicas));
        }

        private int part(int limit, int replicas) {
            return (int) Math.max(1, Math.floor(limit * share / replicas));
        }
    }

    /** The limits in force, as whole calls. */
    record Effective(int corpPerMinute, int corpPerHour, int ipPerMinute, int ipPerHour) {
    }

    /**
     * One corp's API (or the IP's, for {@link #ipStatistics}) as counted so far.
     *
     * @param waiting calls waiting now
     * @param waited the time granted calls spent waiting, together
     * @param refused 45009 answers told to {@link #refused}
     * @param minuteUsed calls of the last minute, as a fraction of the limit in force (above 1 after a lowered limit)
     * @param pausedUntil when the current pause ends; null when not paused
     */
    public record Statistics(long granted, int waiting, Duration waited, long refused, long pauses,
            double minuteUsed, double hourUsed, Instant pausedUntil) {
    }

    /** A pause after 45009: of {@code corpId}'s API, or of the calling IP's when {@code corpId} is null. */
    public record Pause(String corpId, GroupMsgApi api, Instant until) {
    }

    /** Told once per pause; says corpId and API only, never a token. */
    @FunctionalInterface
    public interface PauseListener {
        void paused(Pause pause);
    }

    /** How a waiting thread waits: until {@code changed} is signalled or {@code millis} have passed. */
    @FunctionalInterface
    interface Waiter {
        void await(Condition changed, long millis) throws InterruptedException;
    }

    /** One call's place in the queue. */
    static final class Ticket {
        final BudgetKey key;
        final Priority priority;
        final long since;
        /** The how-manieth call granted, from 1; 0 while waiting. */
        long granted;

        Ticket(BudgetKey key, Priority priority, long since) {
            this.key = key;
            this.priority = priority;
            this.since = since;
        }
    }

    /** Counts a call {@link BudgetLane#dispatch} lets go. */
    @FunctionalInterface
    interface Grants {
        void grant(Ticket ticket, BudgetKey ip, long now);
    }

    private final Clock clock;
    private final Waiter waiter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, BudgetKey[]> corps = new HashMap<>();
    private final Map<GroupMsgApi, BudgetLane> lanes = new EnumMap<>(GroupMsgApi.class);
    private final Grants grants = this::grant;
    private volatile Limits limits;
    private volatile int replicas = 1;
    private volatile PauseListener listener = CallBudget::logPause;
    private long grantCount;

    /** @param clock the wall clock: WeCom counts calls per natural minute and hour */
    public CallBudget(Limits limits, Clock clock) {
        this(limits, clock, (changed, millis) -> changed.await(millis, TimeUnit.MILLISECONDS));
    }

    CallBudget(Limits limits, Clock clock, Waiter waiter) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = clock;
        this.waiter = waiter;
        for (GroupMsgApi api : GroupMsgApi.values()) {
            lanes.put(api, new BudgetLane(api));
        }
    }

    public Limits limits() {
        return limits;
    }

    /** New limits for every call from now on, waiting ones too. */
    public void setLimits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        dispatchAll();
    }

    public int replicas() {
        return replicas;
    }

    /** How many replicas share this one's egress IP: each keeps that part of the IP's limits. */
    public void setReplicas(int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("Invalid replicas " + replicas + ": allowed is at least 1");
        }
        this.replicas = replicas;
        dispatchAll();
    }

    /** Replaces the default, a WARN line of this class's logger. */
    public void setPauseListener(PauseListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Waits until a call of {@code corpId} to {@code api} fits the budget, and counts it. Only the budget bounds the
     * wait; an interrupt ends it with an INTERRUPTED failure, the interrupt kept.
     */
    public void acquire(String corpId, GroupMsgApi api, Priority priority) {
        lock.lock();
        Ticket ticket = null;
        try {
            ticket = request(corpId, api, priority);
            BudgetLane lane = lanes.get(api);
            while (ticket.granted == 0) {
                waiter.await(changed, Math.max(1, lane.nextChange - clock.millis()));
                dispatch(lane);
            }
        } catch (InterruptedException e) {
            if (ticket != null && ticket.granted == 0) {
                lanes.get(api).withdraw(ticket);
            }
            Thread.currentThread().interrupt();
            throw new WecomApiException(api.path(), WecomApiException.Kind.INTERRUPTED,
                    "interrupted while waiting for the call budget", false);
        } finally {
            lock.unlock();
        }
    }

    /** Puts a call in the queue and grants what fits; the ticket says whether it went. */
    Ticket request(String corpId, GroupMsgApi api, Priority priority) {
        lock.lock();
        try {
            Ticket ticket = new Ticket(key(corpId, api), priority, clock.millis());
            BudgetLane lane = lanes.get(api);
            lane.enqueue(ticket);
            dispatch(lane);
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /** Grants what fits now, in every lane: time moved, or the limits changed. */
    void dispatchAll() {
        lock.lock();
        try {
            lanes.values().forEach(this::dispatch);
        } finally {
            lock.unlock();
        }
    }

    private void dispatch(BudgetLane lane) {
        long before = grantCount;
        lane.dispatch(clock.millis(), limits.effective(replicas), grants);
        if (grantCount != before) {
            changed.signalAll();
        }
    }

    private void grant(Ticket ticket, BudgetKey ip, long now) {
        ticket.granted = ++grantCount;
        for (BudgetKey key : new BudgetKey[] { ticket.key, ip }) {
            key.window.add();
            key.granted++;
            key.waitedMillis += now - ticket.since;
        }
        ip.waiting--;
    }

    /**
     * WeCom answered 45009 to a call of {@code corpId} to {@code api}: pauses that API of the corp for every client
     * until WeCom's block ends, and the IP's when enough corps got one within a minute. Each new pause is told once.
     */
    public void refused(String corpId, GroupMsgApi api) {
        List<Pause> paused = new ArrayList<>(2);
        lock.lock();
        try {
            long now = clock.millis();
            BudgetKey key = key(corpId, api);
            key.refused++;
            if (key.pause(now)) {
                paused.add(new Pause(corpId, api, Instant.ofEpochMilli(key.pausedUntil)));
            }
            BudgetLane lane = lanes.get(api);
            if (lane.refusedBy(corpId, now, limits.corpsToPauseIp()) && lane.ip.pause(now)) {
                paused.add(new Pause(null, api, Instant.ofEpochMilli(lane.ip.pausedUntil)));
            }
        } finally {
            lock.unlock();
        }
        paused.forEach(listener::paused); // outside the lock: a listener may be slow
    }

    /** The counts of {@code corpId}'s calls to {@code api}; all zero for a corp not seen. */
    public Statistics statistics(String corpId, GroupMsgApi api) {
        lock.lock();
        try {
            Effective in = limits.effective(replicas);
            BudgetKey[] keys = corps.get(corpId); // asking makes nothing: no key per corp merely looked at
            BudgetKey key = keys == null || keys[api.ordinal()] == null ? new BudgetKey(corpId, api)
                    : keys[api.ordinal()];
            return statistics(key, in.corpPerMinute(), in.corpPerHour());
        } finally {
            lock.unlock();
        }
    }

    /** The counts of every corp's calls to {@code api} from this replica, against the IP's limits. */
    public Statistics ipStatistics(GroupMsgApi api) {
        lock.lock();
        try {
            Effective in = limits.effective(replicas);
            return statistics(lanes.get(api).ip, in.ipPerMinute(), in.ipPerHour());
        } finally {
            lock.unlock();
        }
    }

    /** The corps seen so far. */
    public List<String> corpIds() {
        lock.lock();
        try {
            return List.copyOf(corps.keySet());
        } finally {
            lock.unlock();
        }
    }

    private Statistics statistics(BudgetKey key, int perMinute, int perHour) {
        long now = clock.millis();
        key.window.roll(now);
        return new Statistics(key.granted, key.waiting, Duration.ofMillis(key.waitedMillis), key.refused, key.pauses,
                key.window.lastMinute() / (double) perMinute, key.window.lastHour() / (double) perHour,
                now < key.pausedUntil ? Instant.ofEpochMilli(key.pausedUntil) : null);
    }

    /** The state of {@code corpId}'s {@code api}, made when first asked for. */
    BudgetKey key(String corpId, GroupMsgApi api) {
        BudgetKey[] keys = corps.computeIfAbsent(corpId, c -> new BudgetKey[GroupMsgApi.values().length]);
        BudgetKey key = keys[api.ordinal()];
        if (key == null) {
            key = new BudgetKey(corpId, api);
            keys[api.ordinal()] = key;
        }
        return key;
    }

    private static void logPause(Pause pause) {
        if (pause.corpId() == null) {
            LOG.warn("WeCom refused {} for several corps within a minute (45009, api freq out of limit): calls to it "
                    + "from this IP wait until {}", pause.api().path(), pause.until());
        } else {
            LOG.warn("WeCom refused {} for corp {} (45009, api freq out of limit): the corp's calls to it wait until "
                    + "{}", pause.api().path(), pause.corpId(), pause.until());
        }
    }
}
