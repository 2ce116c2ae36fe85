package io.github.camelwecom.groupmsg.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import io.github.camelwecom.groupmsg.WecomGroupMsgConstants;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.ApiCall;
import io.github.camelwecom.groupmsg.simulator.CallLimits;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The call budget under WeCom's limits, scaled down: one CamelContext (one replica) with {@code budget.corps} corps
 * against one simulator enforcing {@link CallLimits} on the real clock, the component's budget given the same limits.
 * {@code budget.large} large corps (their own data set) run bounded 90-day send-result exports (BACKFILL) throughout;
 * every other corp, small, follows (no endTime, polled every {@code budget.delayMs}). Data time runs
 * {@link #ACCELERATION} times faster than real time (the simulator's now and the component's clock; the budget and the
 * limits count real minutes), so the followers see new messages and sends while the backfills run.
 * <p>
 * Figures, over the run after its first third (followers' first passes done): 45009 refusals (target 0); freshness, the
 * largest delay in polls from a change becoming visible (message create_time for NEW, send_time for UPDATED) to its
 * emission (target at most 2); backfill calls a minute on the busiest API against the IP budget a minute less the
 * followers' calls (target at least 0.9); the spread of calls across the following corps and across the backfilling
 * corps, which are alike and so should cost alike.
 */
public final class CallBudgetBenchmark {

    static final String NAME = "call-budget";
    /** Data seconds per real second. */
    static final long ACCELERATION = Long.getLong("budget.acceleration", 10);
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** Followers start an hour back: a short first pass, so that their polls are what they cost. */
    static final long FOLLOW_FROM_SECONDS = 3600;
    static final List<Api> APIS = List.of(Api.LIST, Api.TASK, Api.RESULT);

    private final int corps = Integer.getInteger("budget.corps", 2000);
    private final int large = Integer.getInteger("budget.large", 20);
    private final long seconds = Long.getLong("budget.seconds", 300);
    private final long delayMillis = Long.getLong("budget.delayMs", 30_000);
    private final int ipPerMinute = Integer.getInteger("budget.ipPerMinute", 15 * corps);
    private final double share = Double.parseDouble(System.getProperty("budget.share", "0.8"));
    private final int backfillConcurrency = Integer.getInteger("budget.backfillConcurrency", 8);
    private final Map<String, Long> createTimes = new HashMap<>();
    /** The worst delay of a NEW record (from its message's create_time) and of an UPDATED one (from its send_time). */
    private final AtomicLong worstNewLagMillis = new AtomicLong();
    private final AtomicLong worstUpdatedLagMillis = new AtomicLong();
    private final AtomicLong changesTimed = new AtomicLong();
    private volatile long measureFromData = Long.MAX_VALUE;
    private DataClock clock;

    private CallBudgetBenchmark() {
    }

    public static String[] jvmArgs() {
        return new String[] { "-Xmx1g" };
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> out = new CallBudgetBenchmark().run();
        System.out.printf("call budget: %s corps (%s backfilling), %s x 45009, freshness %s polls, backfill %s of the"
                + " budget left, spread max/min following %s backfilling %s%n", out.get("corps"),
                out.get("backfillingCorps"), out.get("refusals45009"), out.get("freshnessPolls"),
                out.get("backfillShareOfBudgetLeft"), out.get("followCallsSpreadMaxOverMin"),
                out.get("backfillCallsSpreadMaxOverMin"));
        System.out.println("call budget figures: " + out);
        BenchSupport.writeResults(NAME, out);
        System.exit(0);
    }

    /** Corp i: the first {@code large} backfill, the rest follow. */
    String corpId(int i) {
        return String.format("ww-budget-%04d", i);
    }

    boolean backfills(String corpId) {
        return Integer.parseInt(corpId.substring(corpId.lastIndexOf('-') + 1)) < large;
    }

    /** A small corp's records: 10 members with about 20 customers each, about 31 single-chat messages a day. */
    static DataSet smallCorp() {
        return corp(Integer.getInteger("budget.messages", 3000), 10, 20);
    }

    /**
     * A large corp's records: 100 members and as many messages, so that a backfill never runs out of calls; 5 customers
     * a member, so that its calls, not the records they carry, are what this machine spends its time on.
     */
    static DataSet largeCorp() {
        return corp(Integer.getInteger("budget.largeMessages", 3000), 100, 5);
    }

    private static DataSet corp(int messages, int members, int customers) {
        LocalDate today = LocalDate.now(SHANGHAI);
        return DataSet.generate(DataSetSpec.builder().days(today.minusDays(93), today.plusDays(4))
                .singleMessages(messages).groupMessages(0).members(members).bigMembers(0)
                .typicalCustomers(customers).build());
    }

    Map<String, Object> run() throws Exception {
        DataSet data = smallCorp();
        DataSet large = largeCorp();
        data.groundTruth().messages("single", data.startEpochSecond(), data.endEpochSecond(), null, 2)
                .forEach(m -> createTimes.put(m.get("msgid").asText(), m.get("create_time").asLong()));
        CallLimits limits = new CallLimits(ipPerMinute / 4, ipPerMinute * 15L, ipPerMinute, ipPerMinute * 60L);
        clock = new DataClock(dataStart(), ACCELERATION);
        WecomSimulator.Builder builder = WecomSimulator.builder().port(0).dataSet(data).callLimits(limits)
                .limitClock(Clock.systemUTC()).tokenTtl(Duration.ofDays(30)).now(clock.instant());
        for (int i = 0; i < corps; i++) {
            builder.credentials(corpId(i), "secret-" + i);
            if (backfills(corpId(i))) {
                builder.dataSet(corpId(i), large);
            }
        }
        try (WecomSimulator sim = builder.build().start()) {
            Thread ticker = ticker(sim);
            CamelContext camel = context(sim, limits);
            long t0 = System.nanoTime();
            camel.start();
            Thread.sleep(seconds * 1000 / 3);
            long from = System.nanoTime();
            measureFromData = clock.instant().getEpochSecond();
            Thread.sleep(seconds * 1000 - seconds * 1000 / 3);
            long to = System.nanoTime();
            Map<String, Object> out = figures(sim, limits, from, to);
            out.put("seconds", BenchSupport.round((to - t0) / 1e9, 1));
            camel.stop();
            ticker.interrupt();
            return out;
        }
    }

    /**
     * Where data time starts: so that the measured part of the run (its last two thirds) covers the stretch of today's
     * day in Shanghai with the most new messages of the following corps, so that their freshness is measured on
     * changes.
     */
    private long dataStart() {
        long measured = (seconds - seconds / 3) * ACCELERATION;
        long dayStart = LocalDate.now(SHANGHAI).atStartOfDay(SHANGHAI).toEpochSecond();
        long[] today = createTimes.values().stream().mapToLong(Long::longValue)
                .filter(t -> t >= dayStart && t < dayStart + 86_400 - measured).sorted().toArray();
        long best = dayStart + 9 * 3600;
        int most = 0;
        for (int i = 0, j = 0; i < today.length; i++) {
            while (j < today.length && today[j] < today[i] + measured) {
                j++;
            }
            if (j - i > most) {
                most = j - i;
                best = today[i];
            }
        }
        // the measured part starts a minute of data time before the first of them
        return best - 60 - seconds / 3 * ACCELERATION;
    }

    /** Moves the simulator's now along with the data clock, every 100 ms. */
    private Thread ticker(WecomSimulator sim) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sim.setNow(clock.instant());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "data-clock");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private CamelContext context(WecomSimulator sim, CallLimits limits) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        WecomGroupMsgComponent c = camel.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class);
        c.setClock(clock);
        c.setCallBudgetShare(share);
        c.setCallLimitCorpPerMinute((int) limits.corpPerMinute());
        c.setCallLimitCorpPerHour((int) limits.corpPerHour());
        c.setCallLimitIpPerMinute((int) limits.ipPerMinute());
        c.setCallLimitIpPerHour((int) limits.ipPerHour());
        long now = clock.instant().getEpochSecond();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < corps; i++) {
                    String base = "wecom-groupmsg:result?baseUrl=" + sim.baseUrl() + "&corpId=" + corpId(i)
                            + "&corpSecret=RAW(secret-" + i + ")&chatType=single&filterType=2";
                    if (backfills(corpId(i))) {
                        from(base + "&startTime=" + (now - 90 * 86_400L) + "&endTime=" + now
                                + "&concurrency=" + backfillConcurrency + "&initialDelay=0&delay=1000")
                                .routeId(corpId(i))
                                .process(e -> {
                                });
                    } else {
                        from(base + "&startTime=" + (now - FOLLOW_FROM_SECONDS) + "&initialDelay="
                                + i * delayMillis / corps
                                + "&delay=" + delayMillis).routeId(corpId(i)).process(e -> timeChange(e));
                    }
                }
            }
        });
        return camel;
    }

    /** The delay from a following corp's change becoming visible to its emission, the worst kept. */
    private void timeChange(Exchange e) {
        GroupMsgSendResult r = e.getMessage().getBody(GroupMsgSendResult.class);
        String change = e.getMessage().getHeader(WecomGroupMsgConstants.CHANGE, String.class);
        Long created = createTimes.get(r.getMsgid());
        boolean updated = WecomGroupMsgConstants.CHANGE_UPDATED.equals(change);
        Long visible = updated ? r.getSendTime() : created;
        if (visible == null || visible < measureFromData) {
            return;
        }
        changesTimed.incrementAndGet();
        long lag = clock.instant().toEpochMilli() - visible * 1000;
        (updated ? worstUpdatedLagMillis : worstNewLagMillis).accumulateAndGet(lag, Math::max);
    }

    Map<String, Object> figures(WecomSimulator sim, CallLimits limits, long from, long to) {
        Map<String, Object> out = BenchSupport.figures();
        double minutes = (to - from) / 60e9;
        out.put("corps", corps);
        out.put("backfillingCorps", large);
        out.put("followDelaySeconds", delayMillis / 1000.0);
        out.put("ipLimitPerMinute", limits.ipPerMinute());
        out.put("corpLimitPerMinute", limits.corpPerMinute());
        out.put("budgetShare", share);
        out.put("backfillConcurrency", backfillConcurrency);
        out.put("refusals45009", sim.counters().limitRefusals().total());
        out.put("changesTimed", changesTimed.get());
        double pollData = delayMillis / 1000.0 * ACCELERATION;
        // no change timed (no message or send in the data time measured): not measured, not 0 polls
        double pollMillis = pollData * 1000;
        out.put("freshnessPolls", changesTimed.get() == 0 ? "not measured"
                : BenchSupport.round(Math.max(worstNewLagMillis.get(), worstUpdatedLagMillis.get()) / pollMillis, 3));
        out.put("freshnessNewPolls", BenchSupport.round(worstNewLagMillis.get() / pollMillis, 3));
        out.put("freshnessUpdatedPolls", BenchSupport.round(worstUpdatedLagMillis.get() / pollMillis, 3));
        Map<String, long[]> perCorp = new HashMap<>();
        Map<Api, long[]> perApi = new HashMap<>();
        for (ApiCall call : sim.counters().callLog()) {
            if (call.corp() == null || !APIS.contains(call.api()) || call.startNanos() < from
                    || call.startNanos() >= to) {
                continue;
            }
            perCorp.computeIfAbsent(call.corp(), k -> new long[1])[0]++;
            perApi.computeIfAbsent(call.api(), k -> new long[2])[backfills(call.corp()) ? 0 : 1]++;
        }
        throughput(out, perApi, minutes, limits.ipPerMinute() * share);
        spread(out, perCorp);
        return out;
    }

    private void throughput(Map<String, Object> out, Map<Api, long[]> perApi, double minutes, double budget) {
        double best = 0;
        for (Api api : APIS) {
            long[] c = perApi.getOrDefault(api, new long[2]);
            double backfill = c[0] / minutes;
            double follow = c[1] / minutes;
            double ratio = backfill / (budget - follow);
            String key = api.name().toLowerCase();
            out.put(key + "BackfillCallsPerMinute", BenchSupport.round(backfill, 1));
            out.put(key + "FollowCallsPerMinute", BenchSupport.round(follow, 1));
            out.put(key + "BackfillShareOfBudgetLeft", BenchSupport.round(ratio, 3));
            best = Math.max(best, ratio);
        }
        out.put("backfillShareOfBudgetLeft", BenchSupport.round(best, 3));
    }

    private void spread(Map<String, Object> out, Map<String, long[]> perCorp) {
        List<Long> follow = new ArrayList<>();
        List<Long> backfill = new ArrayList<>();
        for (int i = 0; i < corps; i++) {
            long n = perCorp.getOrDefault(corpId(i), new long[1])[0];
            (backfills(corpId(i)) ? backfill : follow).add(n);
        }
        put(out, "follow", follow);
        put(out, "backfill", backfill);
    }

    private static void put(Map<String, Object> out, String prefix, List<Long> calls) {
        long min = calls.stream().mapToLong(Long::longValue).min().orElse(0);
        long max = calls.stream().mapToLong(Long::longValue).max().orElse(0);
        double mean = calls.stream().mapToLong(Long::longValue).average().orElse(0);
        double var = calls.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElse(0);
        out.put(prefix + "CallsPerCorpMin", min);
        out.put(prefix + "CallsPerCorpMax", max);
        out.put(prefix + "CallsPerCorpMean", BenchSupport.round(mean, 1));
        // a corp without a call in the window: the spread is unbounded
        out.put(prefix + "CallsSpreadMaxOverMin",
                min == 0 ? Double.POSITIVE_INFINITY : BenchSupport.round((double) max / min, 3));
        out.put(prefix + "CallsCv", mean == 0 ? Double.NaN : BenchSupport.round(Math.sqrt(var) / mean, 3));
    }

    /** Data time: starts at {@code epochSecond} and runs {@code factor} times faster than real time. */
    static final class DataClock extends Clock {
        private final long startMillis;
        private final long startNanos = System.nanoTime();
        private final long factor;

        DataClock(long epochSecond, long factor) {
            this.startMillis = epochSecond * 1000;
            this.factor = factor;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(startMillis + (System.nanoTime() - startNanos) / 1_000_000 * factor);
        }
    }
}
