package io.github.camelwecom.groupmsg.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server that behaves like WeCom's gettoken and the three customer mass-message record APIs
 * (get_groupmsg_list_v2, get_groupmsg_task, get_groupmsg_send_result) over a seeded {@link DataSet}, and like the token
 * APIs of third-party apps (get_suite_token, get_corp_token) for the suites and corps it is given.
 *
 * <pre>{@code
 * try (WecomSimulator sim = WecomSimulator.builder().dataSet(DataSet.generate(DataSetSpec.small())).build().start()) {
 *     String base = sim.baseUrl(); // http://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class WecomSimulator implements AutoCloseable {
    public static final String DEFAULT_CORP_ID = "ww-sim-corp";
    public static final String DEFAULT_CORP_SECRET = "sim-secret";
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofSeconds(7200);
    public static final int DEFAULT_THREADS = 32;

    private static final Logger LOG = LoggerFactory.getLogger(WecomSimulator.class);

    private final String host;
    private final int requestedPort;
    private final int threads;
    private final DataSet dataSet;
    private final Map<String, DataSet> corpDataSets;
    private final Map<String, String> credentials;
    private final TokenRegistry tokens;
    private final Suites suites;
    private final FaultInjector faults;
    private final SimulatorCounters counters = new SimulatorCounters();
    private final RuntimeSettings settings;
    private final SimClock clock;
    private final CallLimiter limiter;
    private SimulatorServer server;

    private WecomSimulator(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.threads = b.threads;
        this.dataSet = b.dataSet != null ? b.dataSet : DataSet.generate(DataSetSpec.demo());
        this.corpDataSets = Map.copyOf(b.corpDataSets);
        this.credentials = b.accounts.credentials();
        this.tokens = new TokenRegistry(credentials, b.tokenTtl, System::nanoTime);
        this.suites = b.accounts.suites(tokens, b.tokenTtl);
        this.faults = new FaultInjector(b.faultSeed);
        this.settings = new RuntimeSettings(b.latency, b.maxConcurrentRequests, b.endTimeExclusive,
                b.refuseZeroWidthWindows);
        this.clock = new SimClock(b.now);
        this.limiter = new CallLimiter(b.callLimits, b.limitClock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts serving; returns this for chaining. */
    public synchronized WecomSimulator start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        GroupMsgApi common = new GroupMsgApi(dataSet, clock, settings);
        Map<String, GroupMsgApi> perCorp = new HashMap<>();
        corpDataSets.forEach((corp, data) -> perCorp.put(corp, new GroupMsgApi(data, clock, settings)));
        server = SimulatorServer.start(host, requestedPort, threads, held -> new SimulatorHandler(tokens, suites,
                corp -> perCorp.getOrDefault(corp, common), faults, counters, settings, limiter, held));
        LOG.info("WeCom simulator listening on {} with {}", baseUrl(), dataSet);
        return this;
    }

    /** Stops at once: requests in flight (e.g. sleeping for latency, or held by NO_ANSWER) are cut off. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.close();
        server = null;
    }

    /** Requests held by the NO_ANSWER and STALLED_BODY faults right now. */
    synchronized int heldRequests() {
        return server == null ? 0 : server.heldRequests();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** E.g. "http://127.0.0.1:8088", without a trailing slash. */
    public String baseUrl() {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
    }

    /** The bound port; the real one when 0 was requested. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.port();
    }

    /** The records of every corp not given its own by {@link Builder#dataSet(String, DataSet)}. */
    public DataSet dataSet() {
        return dataSet;
    }

    /** The records {@code corpId} is served. */
    public DataSet dataSet(String corpId) {
        return corpDataSets.getOrDefault(corpId, dataSet);
    }

    /** corpid to corpsecret of every accepted corp, in the order configured. */
    public Map<String, String> credentials() {
        return credentials;
    }

    public FaultInjector faults() {
        return faults;
    }

    public SimulatorCounters counters() {
        return counters;
    }

    public Duration latency() {
        return settings.latency();
    }

    /** Delay added to every answer from now on. */
    public void setLatency(Duration latency) {
        settings.setLatency(Objects.requireNonNull(latency, "latency"));
    }

    public Duration tokenTtl() {
        return tokens.ttl();
    }

    /** Lifetime of tokens issued from now on (access_tokens and suite_access_tokens). */
    public void setTokenTtl(Duration ttl) {
        tokens.setTtl(TokenRegistry.requirePositive(ttl, "tokenTtl"));
        suites.setTtl(ttl);
    }

    public int maxConcurrentRequests() {
        return settings.maxConcurrentRequests();
    }

    /** 0 removes the cap; above it requests are refused with 45033. */
    public void setMaxConcurrentRequests(int max) {
        settings.setMaxConcurrentRequests(max);
    }

    /** Whether get_groupmsg_list_v2 treats end_time as exclusive; default false (both ends inclusive). */
    public boolean isEndTimeExclusive() {
        return settings.endTimeExclusive();
    }

    /**
     * From now on get_groupmsg_list_v2 leaves out (true) or lists (false, the default) messages created exactly at
     * end_time. WeCom's document does not say which; a client should work with either. The 31-day check is unchanged.
     */
    public void setEndTimeExclusive(boolean exclusive) {
        settings.setEndTimeExclusive(exclusive);
    }

    /** Whether a list request with start_time == end_time is refused; default false. */
    public boolean isRefuseZeroWidthWindows() {
        return settings.refuseZeroWidthWindows();
    }

    /**
     * From now on a get_groupmsg_list_v2 request with start_time == end_time is refused with 40058 "invalid parameter:
     * time range: end_time equals start_time" (true) or answered like any other window (false, the default), so a
     * client that may ask for such a window can be tested against a WeCom that refuses it.
     */
    public void setRefuseZeroWidthWindows(boolean refuse) {
        settings.setRefuseZeroWidthWindows(refuse);
    }

    /** WeCom's call limits as enforced: {@code callLimiter().setLimits(CallLimits.wecom())} turns them on. */
    public CallLimiter callLimiter() {
        return limiter;
    }

    /**
     * Fixes the simulator's "now" at {@code now}, from which the mass-message APIs answer: a task (and its send
     * results) is unsent until its send_time, a group-chat send result absent until then, and a message created after
     * now does not exist yet (not listed; its msgid is unknown). {@code dataSet().groundTruth().asOf(now)} is what an
     * export at this now must contain. Token lifetimes and latency stay on the real clock.
     */
    public void setNow(Instant now) {
        clock.set(Objects.requireNonNull(now, "now"));
    }

    /** Back to the real clock (the default), at which the 2025 presets are long settled. */
    public void clearNow() {
        clock.set(null);
    }

    /** Moves a fixed now forward by {@code amount}; when following the real clock, fixes now at real now + amount. */
    public void advanceNow(Duration amount) {
        clock.advance(Objects.requireNonNull(amount, "amount"));
    }

    /** The simulator's now: the fixed instant, or the real clock's. */
    public Instant now() {
        return clock.now();
    }

    /** True while a fixed now is set. */
    public boolean isNowFixed() {
        return clock.fixed() != null;
    }

    /**
     * Every access_token and suite_access_token this simulator has handed out, expired ones included (a snapshot, never
     * emptied by {@code counters().reset()}): a test can search logs and exception messages for them.
     */
    public Set<String> issuedTokens() {
        return suites.allIssued();
    }

    /**
     * Every access_token issued so far becomes expired (42001), by gettoken or get_corp_token, and so does every
     * suite_access_token (42009); new ones are issued on request.
     */
    public void expireAllTokens() {
        tokens.expireAll();
        suites.expireSuiteTokens();
    }

    /** Every suite_access_token issued so far becomes expired (42009); get_suite_token then issues new ones. */
    public void expireSuiteTokens() {
        suites.expireSuiteTokens();
    }

    /** Every suite_access_token issued so far becomes unknown (40082, WeCom's answer to a token it does not take). */
    public void invalidateSuiteTokens() {
        suites.invalidateSuiteTokens();
    }

    /**
     * WeCom pushes a new suite_ticket to the suite's callback URL: from now on get_suite_token takes {@code ticket}
     * only (WeCom takes a ticket for 30 minutes; the simulator is stricter, so a client must use the latest).
     */
    public void setSuiteTicket(String suiteId, String ticket) {
        suites.setTicket(suiteId, ticket);
    }

    /** The corp authorizes the suite (again): get_corp_token takes this permanent code from now on. */
    public void authorizeCorp(String suiteId, String corpId, String permanentCode) {
        suites.authorize(suiteId, corpId, permanentCode);
    }

    /**
     * The corp cancels its authorization of the suite (WeCom's cancel_auth): get_corp_token answers its permanent code
     * with 40084, and the access_tokens it got through the suite answer 40014 from now on (WeCom does not document what
     * they answer then; a client must cope with any refusal of the token).
     */
    public void cancelAuthorization(String suiteId, String corpId) {
        suites.cancel(suiteId, corpId);
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int threads = DEFAULT_THREADS;
        private DataSet dataSet;
        private final Map<String, DataSet> corpDataSets = new HashMap<>();
        private final Accounts accounts = new Accounts();
        private Duration tokenTtl = DEFAULT_TOKEN_TTL;
        private Duration latency = Duration.ZERO;
        private int maxConcurrentRequests;
        private long faultSeed = 1;
        private Instant now;
        private boolean endTimeExclusive;
        private boolean refuseZeroWidthWindows;
        private CallLimits callLimits = CallLimits.none();
        private Clock limitClock = Clock.systemUTC();

        private Builder() {
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Address to bind; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Default: {@code DataSet.generate(DataSetSpec.demo())}. */
        public Builder dataSet(DataSet dataSet) {
            this.dataSet = Objects.requireNonNull(dataSet, "dataSet");
            return this;
        }

        /**
         * Serves {@code corpId} these records instead of {@link #dataSet(DataSet)}'s, e.g. a few large corps among many
         * small ones. The corp still needs its {@link #credentials} (or a suite's authorization).
         */
        public Builder dataSet(String corpId, DataSet dataSet) {
            corpDataSets.put(Objects.requireNonNull(corpId, "corpId"), Objects.requireNonNull(dataSet, "dataSet"));
            return this;
        }

        /** Accepts this corp; repeat for several corps, each with its own tokens. Default: the DEFAULT_ pair. */
        public Builder credentials(String corpId, String corpSecret) {
            accounts.corp(corpId, corpSecret);
            return this;
        }

        /**
         * Serves this third-party app (or 代开发 template): get_suite_token takes the suite's id, secret and this ticket
         * (until {@link WecomSimulator#setSuiteTicket}). Repeat for several suites.
         */
        public Builder suite(String suiteId, String suiteSecret, String suiteTicket) {
            accounts.suite(suiteId, suiteSecret, suiteTicket);
            return this;
        }

        /**
         * The corp has authorized the suite (given by {@link #suite} before) with this permanent code: get_corp_token
         * hands out its access_token, which the mass-message APIs take like one from gettoken. Repeat for each corp.
         */
        public Builder authorizedCorp(String suiteId, String corpId, String permanentCode) {
            accounts.authorizedCorp(suiteId, corpId, permanentCode);
            return this;
        }

        /** Default 7200 s, as WeCom. */
        public Builder tokenTtl(Duration ttl) {
            this.tokenTtl = TokenRegistry.requirePositive(ttl, "tokenTtl");
            return this;
        }

        /** Added to every answer; default none. */
        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** 0 (default) for no cap; above it requests are refused with 45033. */
        public Builder maxConcurrentRequests(int max) {
            this.maxConcurrentRequests = max;
            return this;
        }

        /** Worker threads; they bound how many requests are handled (and can wait out latency) at once. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1");
            }
            this.threads = threads;
            return this;
        }

        /** Seed of the chance-based fault choices. */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /** Starts with a fixed now (see {@link WecomSimulator#setNow(Instant)}); default: the real clock. */
        public Builder now(Instant now) {
            this.now = Objects.requireNonNull(now, "now");
            return this;
        }

        /** Starts with end_time exclusive (see {@link WecomSimulator#setEndTimeExclusive(boolean)}); default false. */
        public Builder endTimeExclusive(boolean exclusive) {
            this.endTimeExclusive = exclusive;
            return this;
        }

        /**
         * Starts refusing start_time == end_time (see {@link WecomSimulator#setRefuseZeroWidthWindows(boolean)});
         * default false.
         */
        public Builder refuseZeroWidthWindows(boolean refuse) {
            this.refuseZeroWidthWindows = refuse;
            return this;
        }

        /** WeCom's call limits to enforce (see {@link CallLimiter}); default {@link CallLimits#none()}. */
        public Builder callLimits(CallLimits limits) {
            this.callLimits = Objects.requireNonNull(limits, "callLimits");
            return this;
        }

        /** The clock whose whole minutes and hours are the limits' windows; default the real one (not setNow's). */
        public Builder limitClock(Clock clock) {
            this.limitClock = Objects.requireNonNull(clock, "limitClock");
            return this;
        }

        public WecomSimulator build() {
            return new WecomSimulator(this);
        }
    }
}
