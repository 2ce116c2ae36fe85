package io.github.camelwecom.groupmsg.benchmarks;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import io.github.camelwecom.groupmsg.WecomGroupMsgConstants;
import io.github.camelwecom.groupmsg.WecomGroupMsgEndpoint;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.processor.state.MemoryStateRepository;

/**
 * Follow mode as production runs it: a send-result consumer without endTime, started with {@code startTime} three
 * days back (the default {@code trackChangesFor}), polled once a minute while the simulator's now and the
 * component's clock move 60 s per poll. For the demo corp and the large corp ({@link DataSetSpec#largeCorp()}) it
 * prints API calls per poll against the fewest that see every change (a list page, each tracked message's task
 * pages, and the result pages of members whose task is new or changed in that minute), calls per hour against
 * WeCom's per-corp limits, checkpoint bytes per write and per hour, the first pass against a bounded export of the
 * same span, and heap after GC. Each poll is run by this benchmark ({@code startScheduler=false}), so one poll is one
 * minute of WeCom time whatever the machine's speed.
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
        Map<String, Object> figures = BenchSupport.figures();
        try (WecomSimulator sim = WecomSimulator.builder().port(0).dataSet(data).build().start()) {
            sim.setNow(Instant.ofEpochSecond(now));
            long finalNow = now + (long) polls * STEP_SECONDS;
            Emitted emitted = new Emitted(data.groundTruth().asOf(Instant.ofEpochSecond(finalNow))
                    .countResults("single", start, finalNow, null, 2));
            // the bounded export's route does what the follow route does with each record, into the same checker
            boundedExportSeconds(sim, start, now, emitted); // warm-up: the first export in a JVM pays class loading
            double bounded = boundedExportSeconds(sim, start, now, emitted);
            emitted.clear();

            MovableClock clock = new MovableClock(now);
            CountingStateRepository state = new CountingStateRepository();
            CamelContext camel = new DefaultCamelContext();
            camel.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
            camel.getRegistry().bind("state", state);
            AtomicLong records = new AtomicLong();
            double heapBefore = BenchSupport.heapAfterGcMb();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri(sim, "startTime=" + start + "&startScheduler=false&stateRepository=#state"))
                            .routeId("follow").process(exchange -> {
                                records.incrementAndGet();
                                emitted.accept(exchange.getMessage().getBody(GroupMsgSendResult.class),
                                        exchange.getMessage().getHeader(WecomGroupMsgConstants.CHANGE, String.class));
                            });
                }
            });
            camel.start();
            try {
                WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) camel.getRoute("follow").getConsumer();
                long t0 = System.nanoTime();
                poll(consumer, now);
                double firstPass = (System.nanoTime() - t0) / 1e9;
                long firstRecords = records.get();
                long writesBefore = state.writes.get();

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
                    minimum += minimumCalls(data.groundTruth(), now);
                }
                double callsPerPoll = perPoll.stream().mapToLong(Long::longValue).average().orElse(0);
                double minimumPerPoll = (double) minimum / polls;
                long steadyBytes = state.bytes.get() - bytesBefore;
                long steadyWrites = state.writes.get() - writesAfterFirst;

                figures.put("members", data.userids().size());
                figures.put("tracked_send_results", data.groundTruth().countResults("single", start, start
                                                                                    + TRACKED_SECONDS, null, 2));
                figures.put("first_pass_records", firstRecords);
                figures.put("first_pass_s", BenchSupport.round(firstPass, 2));
                figures.put("bounded_export_same_span_s", BenchSupport.round(bounded, 2));
                figures.put("first_pass_vs_bounded", BenchSupport.round(firstPass / bounded, 2));
                figures.put("first_pass_checkpoint_writes", writesBefore);
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
                figures.put("records_after_first_pass", records.get() - firstRecords);
                figures.put("reconciled_members", camel.getEndpoints().stream()
                        .filter(e -> e instanceof WecomGroupMsgEndpoint).mapToLong(
                                e -> ((WecomGroupMsgEndpoint) e).getReconciledMembers()).sum());
                double heapAfter = BenchSupport.heapAfterGcMb();
                figures.put("heap_after_gc_mb", BenchSupport.round(heapAfter, 1));
                figures.put("consumer_heap_after_gc_mb", BenchSupport.round(heapAfter - heapBefore, 1));
                figures.putAll(emitted.against(data.groundTruth().asOf(Instant.ofEpochSecond(now)), start, now));
                System.out.printf("%s corp: %s%n", corp, figures);
            } finally {
                camel.stop();
            }
        }
        return figures;
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
     * What the route received, per send result: the state last emitted, as hashes in open-addressing tables off the
     * heap, so that checking millions of records neither competes with the consumer for its -Xmx nor shows in its
     * heap figure. Counts NEW twice and UPDATED without a change.
     */
    static final class Emitted {
        private final LongBuffer keys;
        private final IntBuffer states;
        private final int mask;
        private int size;
        private long newTwice;
        private long updatedWithoutChange;
        private long updated;

        Emitted(long expected) {
            int capacity = Integer.highestOneBit((int) Math.min(1 << 29, expected * 3 / 2 + 16)) * 2;
            keys = ByteBuffer.allocateDirect(capacity * Long.BYTES).asLongBuffer();
            states = ByteBuffer.allocateDirect(capacity * Integer.BYTES).asIntBuffer();
            mask = capacity - 1;
        }

        void clear() {
            for (int i = 0; i <= mask; i++) {
                keys.put(i, 0);
                states.put(i, 0);
            }
            size = 0;
            newTwice = 0;
            updatedWithoutChange = 0;
            updated = 0;
        }

        void accept(GroupMsgSendResult r, String change) {
            long key = identity(r.getMsgid(), r.getUserid(), r.getExternalUserid(), r.getChatId());
            int state = state(r.getStatus(), r.getSendTime());
            int slot = slot(key);
            boolean known = keys.get(slot) != 0;
            if ("UPDATED".equals(change)) {
                updated++;
                if (!known || states.get(slot) == state) {
                    updatedWithoutChange++;
                }
            } else if (known) {
                newTwice++;
            }
            if (!known) {
                if (++size > mask * 3 / 4) {
                    throw new IllegalStateException("more records than the ground truth holds: " + size);
                }
                keys.put(slot, key);
            }
            states.put(slot, state);
        }

        /** Exactness against the ground truth at now: every send result of the span emitted in its current state. */
        Map<String, Object> against(GroundTruth truth, long start, long now) {
            long[] expected = new long[1];
            long[] missing = new long[1];
            long[] stale = new long[1];
            truth.results("single", start, now, null, 2).forEach(r -> { // streamed: millions of records
                expected[0]++;
                int slot = slot(identity(r.get("msgid").asText(), r.get("userid").asText(),
                        text(r, "external_userid"), text(r, "chat_id")));
                if (keys.get(slot) == 0) {
                    missing[0]++;
                } else if (states.get(slot) != state(r.get("status").asInt(),
                        r.hasNonNull("send_time") ? r.get("send_time").asLong() : null)) {
                    stale[0]++;
                }
            });
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("exact_expected_records", expected[0]);
            figures.put("exact_emitted_records", size);
            figures.put("exact_missing", missing[0]);
            figures.put("exact_stale", stale[0]);
            figures.put("exact_new_twice", newTwice);
            figures.put("exact_updated", updated);
            figures.put("exact_updated_without_change", updatedWithoutChange);
            return figures;
        }

        private int slot(long key) {
            int slot = (int) (key ^ key >>> 32) & mask;
            while (keys.get(slot) != 0 && keys.get(slot) != key) {
                slot = slot + 1 & mask;
            }
            return slot;
        }

        private static String text(ObjectNode node, String field) {
            return node.hasNonNull(field) ? node.get(field).asText() : null;
        }

        private static long identity(String... parts) {
            long h = 1125899906842597L;
            for (String part : parts) {
                h = 31 * h + (part == null ? 0 : part.hashCode());
                h ^= h >>> 29;
                h *= 0xbf58476d1ce4e5b9L;
            }
            return h == 0 ? 1 : h;
        }

        private static int state(Integer status, Long sendTime) {
            return 31 * (status == null ? -1 : status) + Long.hashCode(sendTime == null ? -1 : sendTime);
        }
    }

    /** One poll, as the scheduler would run it: it goes on while the pass has records, so it reads up to now. */
    private static void poll(WecomGroupMsgConsumer consumer, long now) {
        consumer.run();
        if (consumer.getCompleteUpTo() < now) {
            throw new IllegalStateException("the poll at " + now + " did not read up to now (it reached "
                                            + consumer.getCompleteUpTo() + "); see the log");
        }
    }

    /**
     * The fewest calls that see every change of the minute up to {@code now}: one list page (more if more than a page
     * of messages came), the task pages of every tracked message, and the result pages of each member whose task is
     * new (its message came this minute) or was sent this minute.
     */
    static long minimumCalls(GroundTruth all, long now) {
        GroundTruth truth = all.asOf(Instant.ofEpochSecond(now));
        long from = now - STEP_SECONDS + 1;
        long calls = Math.max(1, ceil(truth.countMessages("single", from, now, null, 2), 100));
        for (ObjectNode msg : truth.messages("single", now - TRACKED_SECONDS, now, null, 2).toList()) {
            String msgid = msg.get("msgid").asText();
            boolean isNew = msg.get("create_time").asLong() >= from;
            Set<String> changed = new HashSet<>();
            long tasks = 0;
            for (ObjectNode task : truth.tasks(msgid).toList()) {
                tasks++;
                long sent = task.path("send_time").asLong(0);
                if (isNew || sent >= from) {
                    changed.add(task.get("userid").asText());
                }
            }
            calls += Math.max(1, ceil(tasks, 1000));
            for (String userid : changed) {
                calls += Math.max(1, ceil(truth.countResults(msgid, userid), 1000));
            }
        }
        return calls;
    }

    private static long ceil(long n, long page) {
        return (n + page - 1) / page;
    }

    private static double boundedExportSeconds(WecomSimulator sim, long start, long end, Emitted checker)
            throws Exception {
        CamelContext camel = new DefaultCamelContext();
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

    /** A MemoryStateRepository that counts what the consumer writes to it. */
    static final class CountingStateRepository extends MemoryStateRepository {
        final AtomicLong writes = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong largest = new AtomicLong();

        @Override
        public void setState(String key, String value) {
            writes.incrementAndGet();
            long size = (long) key.length() + value.length();
            bytes.addAndGet(size);
            largest.accumulateAndGet(size, Math::max);
            super.setState(key, value);
        }
    }
}
