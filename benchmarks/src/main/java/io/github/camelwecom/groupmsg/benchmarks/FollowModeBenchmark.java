package io.github.camelwecom.groupmsg.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import io.github.camelwecom.groupmsg.WecomGroupMsgConstants;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.WecomGroupMsgEndpoint;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.state.MemoryStateRepository;

/**
 * Follow mode as production runs it: a send-result consumer without endTime, started with {@code startTime} three days
 * back (the default {@code trackChangesFor}), polled once a minute while the simulator's now and the component's clock
 * move 60 s per poll. For the demo corp and the large corp ({@link DataSetSpec#largeCorp()}) it prints API calls per
 * poll against the fewest that see every change ({@link #minimumCalls}: no read that cannot find anything), calls per
 * hour against WeCom's per-corp limits, checkpoint bytes written in the first pass, per write and per hour after it,
 * the first pass against a bounded export of the same span, and heap after GC. Each poll is run by this benchmark
 * ({@code startScheduler=false}), so one poll is one minute of WeCom time whatever the machine's speed.
 * <p>
 * It also checks exactness: at the end every send result of the span was emitted in its state at now
 * ({@code groundTruth().asOf(now)}), none NEW twice, none UPDATED without a change. {@code -Dfollow.corps=demo,large}
 * picks the corps, {@code -Dfollow.polls=60} the polls after the first.
 */
public final class FollowModeBenchmark {

    static final String NAME = "follow-mode";
    static final long STEP_SECONDS = 60;
    static final long TRACKED_SECONDS = 3 * 86_400;
    /** WeCom's published limits per corp and API. */
    static final long PER_MINUTE_LIMIT = 10_000;
    static final long PER_HOUR_LIMIT = 150_000;

    private FollowModeBenchmark() {
    }

    public static String[] jvmArgs() {
        return new String[] { "-Xmx256m" };
    }

    public static void main(String[] args) throws Exception {
        int polls = Integer.getInteger("follow.polls", 60);
        Map<String, Object> figures = BenchSupport.figures();
        for (String corp : System.getProperty("follow.corps", "demo,large").split(",")) {
            DataSetSpec spec = "large".equals(corp) ? DataSetSpec.largeCorp() : DataSetSpec.demo();
            // flat keys, as the report reads them: demo_calls_per_poll, large_calls_per_poll, ...
            run(corp, DataSet.generate(spec), polls).forEach((key, value) -> figures.put(corp + "_" + key, value));
        }
        BenchSupport.writeResults(NAME, figures);
    }

    static Map<String, Object> run(String corp, DataSet data, int polls) throws Exception {
        long now = busiestSpanEnd(data);
        long start = now - TRACKED_SECONDS;
        try (WecomSimulator sim = WecomSimulator.builder().port(0).dataSet(data).build().start()) {
            sim.setNow(Instant.ofEpochSecond(now));
            long finalNow = now + (long) polls * STEP_SECONDS;
            EmittedResults emitted = new EmittedResults(data.groundTruth().asOf(Instant.ofEpochSecond(finalNow))
                    .countResults("single", start, finalNow, null, 2));
            // the bounded export's route does what the follow route does with each record, into the same checker
            boundedExportSeconds(sim, start, now, emitted); // warm-up: the first export in a JVM pays class loading
            double bounded = boundedExportSeconds(sim, start, now, emitted);
            emitted.clear();
            return follow(corp, sim, data, start, now, polls, emitted, bounded);
        }
    }

    /** The follow route from {@code start}: its first pass at {@code now}, then {@code polls} polls a minute apart. */
    private static Map<String, Object> follow(String corp, WecomSimulator sim, DataSet data, long start, long now,
            int polls, EmittedResults emitted, double bounded) throws Exception {
        Map<String, Object> figures = BenchSupport.figures();
        MovableClock clock = new MovableClock(now);
        CountingStateRepository state = new CountingStateRepository();
        CamelContext camel = BenchSupport.camel();
        camel.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        camel.getRegistry().bind("state", state);
        AtomicLong records = new AtomicLong();
        double heapBefore = BenchSupport.heapAfterGcMb();
        camel.addRoutes(followRoute(sim, start, records, emitted));
        camel.start();
        try {
            WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) camel.getRoute("follow").getConsumer();
            long t0 = System.nanoTime();
            poll(consumer, now);
            double firstPass = (System.nanoTime() - t0) / 1e9;
            long firstRecords = records.get();
            firstPassFigures(figures, data, start, firstRecords, firstPass, bounded, state);
            Polls p = pollEachMinute(sim, clock, consumer, data.groundTruth(), state, now, polls);
            p.figures(figures, polls, state);
            figures.put("records_after_first_pass", records.get() - firstRecords);
            figures.put("reconciled_members", camel.getEndpoints().stream()
                    .filter(e -> e instanceof WecomGroupMsgEndpoint).mapToLong(
                            e -> ((WecomGroupMsgEndpoint) e).getReconciledMembers())
                    .sum());
            double heapAfter = BenchSupport.heapAfterGcMb();
            figures.put("heap_after_gc_mb", BenchSupport.round(heapAfter, 1));
            figures.put("consumer_heap_after_gc_mb", BenchSupport.round(heapAfter - heapBefore, 1));
            long end = now + (long) polls * STEP_SECONDS;
            figures.putAll(emitted.against(data.groundTruth().asOf(Instant.ofEpochSecond(end)), start, end));
            System.out.printf("%s corp: %s%n", corp, figures);
            return figures;
        } finally {
            camel.stop();
        }
    }

    /** The route in follow mode; this benchmark runs its polls ({@code startScheduler=false}). */
    private static RouteBuilder followRoute(WecomSimulator sim, long start, AtomicLong records,
            EmittedResults emitted) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(sim, "startTime=" + start + "&startScheduler=false&stateRepository=#state"))
                        .routeId("follow").process(exchange -> {
                            records.incrementAndGet();
                            emitted.accept(exchange.getMessage().getBody(GroupMsgSendResult.class),
                                    exchange.getMessage().getHeader(WecomGroupMsgConstants.CHANGE, String.class));
                        });
            }
        };
    }

    private static void firstPassFigures(Map<String, Object> figures, DataSet data, long start, long firstRecords,
            double firstPass, double bounded, CountingStateRepository state) {
        figures.put("members", data.userids().size());
        figures.put("tracked_send_results", data.groundTruth().countResults("single", start, start
                + TRACKED_SECONDS, null, 2));
        figures.put("first_pass_records", firstRecords);
        figures.put("first_pass_s", BenchSupport.round(firstPass, 2));
        figures.put("bounded_export_same_span_s", BenchSupport.round(bounded, 2));
        figures.put("first_pass_vs_bounded", BenchSupport.round(firstPass / bounded, 2));
        figures.put("first_pass_checkpoint_writes", state.writes.get());
        figures.put("first_pass_checkpoint_bytes", state.bytes.get());
    }

    /** After the first pass at {@code now}: one poll per minute of simulator time, its calls counted. */
    private static Polls pollEachMinute(WecomSimulator sim, MovableClock clock, WecomGroupMsgConsumer consumer,
            GroundTruth truth, CountingStateRepository state, long now, int polls) {
        Map<Api, Long> before = calls(sim);
        List<Long> perPoll = new ArrayList<>();
        long minimum = 0;
        long busiestApiPerPoll = 0;
        long bytesBefore = state.bytes.get();
        long writesAfterFirst = state.writes.get();
        for (int i = 0; i < polls; i++) {
            now += STEP_SECONDS;
            sim.setNow(Instant.ofEpochSecond(now));
            clock.set(now);
            poll(consumer, now);
            Map<Api, Long> after = calls(sim);
            long total = 0;
            for (Api api : List.of(Api.LIST, Api.TASK, Api.RESULT)) {
                long n = after.get(api) - before.get(api);
                total += n;
                busiestApiPerPoll = Math.max(busiestApiPerPoll, n);
            }
            perPoll.add(total);
            before = after;
            minimum += minimumCalls(truth, now);
        }
        return new Polls(perPoll, minimum, busiestApiPerPoll, state.bytes.get() - bytesBefore,
                state.writes.get() - writesAfterFirst);
    }

    /** The polls after the first pass: the calls of each, the fewest that see every change, what they wrote. */
    record Polls(List<Long> perPoll, long minimum, long busiestApiPerPoll, long steadyBytes, long steadyWrites) {
        void figures(Map<String, Object> figures, int polls, CountingStateRepository state) {
            double callsPerPoll = perPoll.stream().mapToLong(Long::longValue).average().orElse(0);
            double minimumPerPoll = (double) minimum / polls;
            figures.put("polls", polls);
            figures.put("calls_per_poll", BenchSupport.round(callsPerPoll, 1));
            figures.put("minimum_calls_per_poll", BenchSupport.round(minimumPerPoll, 1));
            figures.put("calls_vs_minimum", BenchSupport.round(callsPerPoll / Math.max(1, minimumPerPoll), 2));
            figures.put("busiest_api_calls_per_minute", busiestApiPerPoll);
            figures.put("share_of_per_minute_limit", BenchSupport.round(
                    (double) busiestApiPerPoll / PER_MINUTE_LIMIT, 3));
            figures.put("calls_per_hour", Math.round(callsPerPoll * 60));
            figures.put("share_of_hourly_limit", BenchSupport.round(callsPerPoll * 60 / PER_HOUR_LIMIT, 3));
            figures.put("checkpoint_largest_value_bytes", state.largest.get());
            figures.put("checkpoint_bytes_per_write", steadyWrites == 0 ? 0 : steadyBytes / steadyWrites);
            figures.put("checkpoint_bytes_per_hour", polls == 0 ? 0 : steadyBytes * 60 / polls);
        }
    }

    /** Noon of the day whose three days before hold the most single-chat messages: a span where much changes. */
    static long busiestSpanEnd(DataSet data) {
        long best = data.startEpochSecond() + TRACKED_SECONDS + 43_200;
        long most = -1;
        for (long noon = best; noon <= data.endEpochSecond(); noon += 86_400) {
            long messages = data.groundTruth().countMessages("single", noon - TRACKED_SECONDS, noon, null, 2);
            if (messages > most) {
                most = messages;
                best = noon;
            }
        }
        return best;
    }

    /**
     * One poll at {@code now}, as the component's scheduler runs it: again at once while the pass has records, so it
     * reads up to now.
     */
    private static void poll(WecomGroupMsgConsumer consumer, long now) {
        long emitted;
        do {
            emitted = consumer.getRecordsEmitted();
            consumer.run();
        } while (consumer.getCompleteUpTo() < now && consumer.getRecordsEmitted() > emitted);
        if (consumer.getCompleteUpTo() < now) {
            throw new IllegalStateException("the poll at " + now + " did not read up to now (it reached "
                    + consumer.getCompleteUpTo() + "); see the log");
        }
    }

    /**
     * The fewest calls that see every change of the minute {@code (now-60, now]}, counting no read that cannot find
     * anything: the list pages of the minute's new messages (at least one, to learn whether any came); the task pages
     * of each tracked message that can still change, that is created this minute or with a task unsent at the previous
     * poll (a sent task never changes, so a message whose every task was sent by {@code now-60} has nothing left to
     * find); and the result pages of each member whose task is new or was sent this minute.
     */
    static long minimumCalls(GroundTruth all, long now) {
        GroundTruth truth = all.asOf(Instant.ofEpochSecond(now));
        long from = now - STEP_SECONDS + 1;
        long calls = Math.max(1, ceil(truth.countMessages("single", from, now, null, 2), 100));
        for (ObjectNode msg : truth.messages("single", now - TRACKED_SECONDS, now, null, 2).toList()) {
            String msgid = msg.get("msgid").asText();
            boolean isNew = msg.get("create_time").asLong() >= from;
            List<ObjectNode> tasks = truth.tasks(msgid).toList();
            if (isNew || tasks.stream().anyMatch(task -> unsentBefore(task, from))) {
                calls += Math.max(1, ceil(tasks.size(), 1000));
            }
            Set<String> changed = new HashSet<>();
            for (ObjectNode task : tasks) {
                if (isNew || sentSince(task, from)) {
                    changed.add(task.get("userid").asText());
                }
            }
            for (String userid : changed) {
                calls += Math.max(1, ceil(truth.countResults(msgid, userid), 1000));
            }
        }
        return calls;
    }

    /** Unsent at {@code from - 1}: not sent yet at now, or sent from {@code from} on. */
    private static boolean unsentBefore(ObjectNode task, long from) {
        long sent = task.path("send_time").asLong(0);
        return sent == 0 || sent >= from;
    }

    private static boolean sentSince(ObjectNode task, long from) {
        return task.path("send_time").asLong(0) >= from;
    }

    private static long ceil(long n, long page) {
        return (n + page - 1) / page;
    }

    private static double boundedExportSeconds(WecomSimulator sim, long start, long end, EmittedResults checker)
            throws Exception {
        CamelContext camel = BenchSupport.camel();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(sim, "startTime=" + start + "&endTime=" + end + "&initialDelay=0")).routeId("bounded")
                        .process(exchange -> checker.accept(exchange.getMessage().getBody(GroupMsgSendResult.class),
                                exchange.getMessage().getHeader(WecomGroupMsgConstants.CHANGE, String.class)));
            }
        });
        long t0 = System.nanoTime();
        camel.start();
        try {
            WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) camel.getRoute("bounded").getConsumer();
            while (!consumer.isFinished()) {
                Thread.sleep(5);
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            camel.stop();
        }
    }

    private static String uri(WecomSimulator sim, String options) {
        return "wecom-groupmsg:result?corpId=" + WecomSimulator.DEFAULT_CORP_ID + "&corpSecret="
                + WecomSimulator.DEFAULT_CORP_SECRET + "&baseUrl=" + sim.baseUrl() + "&chatType=single&" + options;
    }

    private static Map<Api, Long> calls(WecomSimulator sim) {
        Map<Api, Long> calls = new EnumMap<>(Api.class);
        for (Api api : Api.values()) {
            calls.put(api, sim.counters().calls(api));
        }
        return calls;
    }

    /**
     * A MemoryStateRepository that counts what the consumer writes to it: every setState, whatever its key (a
     * checkpoint in parts writes keys of its own), as the UTF-8 bytes of key and value.
     */
    static final class CountingStateRepository extends MemoryStateRepository {
        final AtomicLong writes = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong largest = new AtomicLong();

        @Override
        public void setState(String key, String value) {
            writes.incrementAndGet();
            long size = utf8Bytes(key) + utf8Bytes(value);
            bytes.addAndGet(size);
            largest.accumulateAndGet(size, Math::max);
            super.setState(key, value);
        }

        /** Counted, not encoded: a large value is not copied under -Xmx256m. */
        private static long utf8Bytes(String s) {
            if (s == null) {
                return 0;
            }
            long n = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    n++;
                } else if (c < 0x800) {
                    n += 2;
                } else if (Character.isHighSurrogate(c)) {
                    n += 4;
                    i++;
                } else {
                    n += 3;
                }
            }
            return n;
        }
    }
}
