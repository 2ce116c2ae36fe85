package io.github.camelwecom.groupmsg.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One CamelContext with 500 consumer endpoints, each a different corp, all started together against one simulator
 * (small data set, a short range per endpoint). When all have finished: heap used after GC, threads (grouped by name),
 * HTTP connections to the simulator (ESTABLISHED client sockets, peak sampled every 20 ms and at the end), tokens
 * issued, API calls and time. The point: the endpoints share the component's HTTP client, scheduler and fan-out pool
 * instead of each growing threads and connections of its own. The simulator runs in this JVM; its {@code wecom-sim-*}
 * threads are counted apart. Then 20 corps with three endpoints each show one gettoken call per corp for all its
 * endpoints.
 */
public final class ManyCorpsBenchmark {

    static final String NAME = "many-corps";

    private ManyCorpsBenchmark() {
    }

    public static String[] jvmArgs() {
        return new String[] { "-Xmx512m" };
    }

    public static void main(String[] args) throws Exception {
        int corps = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int messagesPerCorp = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        DataSet data = DataSet.generate(DataSetSpec.small());
        // a short range: from the data set's start to the create_time of its n-th single-chat message
        long start = data.startEpochSecond();
        long end = data.groundTruth().messages("single", start, data.endEpochSecond(), null, 2)
                .limit(messagesPerCorp).mapToLong(m -> m.get("create_time").asLong()).max().orElseThrow();
        long expectedPerCorp = data.groundTruth().countResults("single", start, end, null, 2);
        String range = "chatType=single&startTime=" + start + "&endTime=" + end;
        System.out.printf("each endpoint: result export of %d single-chat messages, %d send results%n",
                messagesPerCorp, expectedPerCorp);
        WecomSimulator.Builder builder = WecomSimulator.builder().port(0).dataSet(data);
        for (int i = 0; i < corps; i++) {
            builder.credentials(corpId(i), "secret-" + i);
        }
        try (WecomSimulator sim = builder.build().start()) {
            Outcome o = manyEndpoints(sim, corps, range, expectedPerCorp);
            Map<String, Object> out = new LinkedHashMap<>();
            o.figures(sim, out);
            o.print(sim);
            o.context().stop();
            sharedTokens(sim, range, out);
            MemoryBenchmark.writeJson(NAME, out);
            if (o.finished() < corps || o.records().get() != o.expectedRecords()) {
                System.exit(1);
            }
        }
    }

    /**
     * Starts one endpoint per corp together and waits until all have finished, sampling threads and connections; the
     * context is left running, so the simulator's counters are read as the endpoints left them.
     */
    static Outcome manyEndpoints(WecomSimulator sim, int corps, String range, long expectedPerCorp)
            throws Exception {
        int threadsBefore = Thread.activeCount();
        AtomicLong records = new AtomicLong();
        DefaultCamelContext context = BenchSupport.camel();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < corps; i++) {
                    from("wecom-groupmsg:result?baseUrl=" + sim.baseUrl() + "&corpId=" + corpId(i)
                            + "&corpSecret=RAW(secret-" + i + ")&" + range + "&initialDelay=0&delay=1000")
                            .routeId("corp-" + i).process(e -> records.incrementAndGet());
                }
            }
        });
        int port = sim.port();
        int[] peakConnections = new int[1];
        Thread sampler = sampleConnections(port, peakConnections);
        ThreadPeaks peaks = new ThreadPeaks();
        long t0 = System.nanoTime();
        context.start();
        List<WecomGroupMsgConsumer> consumers = awaitFinished(context, t0 + TimeUnit.MINUTES.toNanos(10), peaks);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long finished = consumers.stream().filter(WecomGroupMsgConsumer::isFinished).count();
        int connectionsAtEnd = establishedTo(port);
        sampler.interrupt();

        Map<String, Integer> groups = threadGroups();
        int liveThreads = ManagementFactory.getThreadMXBean().getThreadCount();
        System.gc();
        System.gc();
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Outcome(context, corps, finished, records, expectedPerCorp * corps, seconds, threadsBefore,
                peaks, peakConnections[0], connectionsAtEnd, groups, liveThreads, heapUsed,
                sim.counters().totalCalls());
    }

    /** The context's consumers, once all have finished or the deadline has passed; samples threads meanwhile. */
    private static List<WecomGroupMsgConsumer> awaitFinished(DefaultCamelContext context, long deadline,
            ThreadPeaks peaks) throws InterruptedException {
        List<WecomGroupMsgConsumer> consumers = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            consumers.add((WecomGroupMsgConsumer) route.getConsumer());
        }
        while (!consumers.stream().allMatch(WecomGroupMsgConsumer::isFinished) && System.nanoTime() < deadline) {
            peaks.sample();
            Thread.sleep(20);
        }
        return consumers;
    }

    /** Counts the ESTABLISHED connections to {@code port} every 20 ms on a thread of its own, keeping the peak. */
    private static Thread sampleConnections(int port, int[] peakConnections) {
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakConnections[0] = Math.max(peakConnections[0], establishedTo(port));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "connection-sampler");
        sampler.setDaemon(true);
        sampler.start();
        return sampler;
    }

    /** The most live threads seen while the endpoints ran, and the most per group (sampled every 100 ms). */
    static final class ThreadPeaks {
        int threads;
        final Map<String, Integer> groups = new TreeMap<>();
        private long nextGroupSample;

        void sample() {
            threads = Math.max(threads, Thread.activeCount());
            if (System.nanoTime() > nextGroupSample) {
                threadGroups().forEach((k, v) -> groups.merge(k, v, Math::max));
                nextGroupSample = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            }
        }
    }

    /** What the endpoints' run measured: the context (still running), then threads, heap and calls after it. */
    record Outcome(DefaultCamelContext context, int endpoints, long finished, AtomicLong records, long expectedRecords,
            double seconds, int threadsBefore, ThreadPeaks peaks, int peakConnections, int connectionsAtEnd,
            Map<String, Integer> groups, int liveThreads, long heapUsed, long totalCalls) {

        void figures(WecomSimulator sim, Map<String, Object> out) {
            out.put("endpoints", endpoints);
            out.put("endpointsFinished", finished);
            out.put("records", records.get());
            out.put("expectedRecords", expectedRecords);
            out.put("seconds", round(seconds));
            out.put("heapUsedAfterGcMb", round(heapUsed / 1048576.0));
            out.put("liveThreads", liveThreads);
            out.put("liveThreadsBeforeStart", threadsBefore);
            out.put("peakActiveThreads", peaks.threads);
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put(POLL, "pollThreads");
            keys.put(FAN_OUT, "fanOutThreads");
            keys.put("HttpClient-N-Worker-N", "httpClientWorkerThreads");
            keys.put(PER_ENDPOINT, "perEndpointThreads");
            keys.put(SIMULATOR, "simulatorThreads");
            keys.forEach((group, key) -> {
                out.put(key, groups.getOrDefault(group, 0));
                out.put(key + "Peak", Math.max(groups.getOrDefault(group, 0), peaks.groups.getOrDefault(group, 0)));
            });
            out.put("establishedConnectionsPeak", peakConnections);
            out.put("establishedConnectionsAtEnd", connectionsAtEnd);
            out.put("simulatorPeakConcurrentRequests", sim.counters().peakConcurrent());
            out.put("tokensIssued", sim.counters().tokensIssued());
            out.put("gettokenCalls", sim.counters().calls(Api.GETTOKEN));
            out.put("listCalls", sim.counters().calls(Api.LIST));
            out.put("taskCalls", sim.counters().calls(Api.TASK));
            out.put("resultCalls", sim.counters().calls(Api.RESULT));
            out.put("totalApiCalls", totalCalls);
        }

        void print(WecomSimulator sim) {
            System.out.printf("endpoints finished: %d of %d in %.2f s, %,d records%n", finished, endpoints, seconds,
                    records.get());
            System.out.printf("heap used after GC: %.1f MB (simulator with its small data set included)%n",
                    heapUsed / 1048576.0);
            System.out.printf("live threads: %d (before context start: %d, peak while running: %d)%n", liveThreads,
                    threadsBefore, peaks.threads);
            groups.forEach(
                    (k, v) -> System.out.printf("  threads %-45s %3d at the end, %3d peak (sampled every 100 ms)%n",
                            k, v, Math.max(v, peaks.groups.getOrDefault(k, 0))));
            System.out.printf("HTTP connections to the simulator: peak %d ESTABLISHED, %d at the end; "
                    + "simulator peak concurrent requests %d%n", peakConnections, connectionsAtEnd,
                    sim.counters().peakConcurrent());
            System.out.printf("tokens issued: %d (gettoken calls %d)%n", sim.counters().tokensIssued(),
                    sim.counters().calls(Api.GETTOKEN));
            System.out.printf("API calls: %d total (list %d, task %d, result %d)%n", totalCalls,
                    sim.counters().calls(Api.LIST), sim.counters().calls(Api.TASK), sim.counters().calls(Api.RESULT));
        }
    }

    /**
     * Call efficiency across endpoints: {@code SHARED_CORPS} corps with a list, a task and a result endpoint each,
     * started together in a new context; each corp should make one gettoken call for all three.
     */
    static void sharedTokens(WecomSimulator sim, String range, Map<String, Object> out) throws Exception {
        sim.counters().reset();
        DefaultCamelContext context = BenchSupport.camel();
        List<String> apis = List.of("list", "task", "result");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < SHARED_CORPS; i++) {
                    for (String api : apis) {
                        from("wecom-groupmsg:" + api + "?baseUrl=" + sim.baseUrl() + "&corpId=" + corpId(i)
                                + "&corpSecret=RAW(secret-" + i + ")&" + range + "&initialDelay=0&delay=1000")
                                .routeId(api + "-" + i).process(e -> {
                                });
                    }
                }
            }
        });
        context.start();
        List<WecomGroupMsgConsumer> consumers = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            consumers.add((WecomGroupMsgConsumer) route.getConsumer());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!consumers.stream().allMatch(WecomGroupMsgConsumer::isFinished) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        context.stop();
        long gettoken = sim.counters().calls(Api.GETTOKEN);
        out.put("sharedTokenCorps", SHARED_CORPS);
        out.put("sharedTokenEndpoints", SHARED_CORPS * apis.size());
        out.put("sharedTokenGettokenCalls", gettoken);
        System.out.printf("%d corps x 3 endpoints (list, task, result) started together: %d gettoken calls "
                + "(minimum %d: one per corp)%n", SHARED_CORPS, gettoken, SHARED_CORPS);
    }

    static final int SHARED_CORPS = 20;

    static final String POLL = "Camel WecomGroupMsgPoll (shared scheduler)";
    static final String FAN_OUT = "Camel WecomGroupMsgFanOut (fan-out pool)";
    static final String PER_ENDPOINT = "per-endpoint (name has the URI)";
    static final String SIMULATOR = "wecom-sim-N (simulator)";

    static String corpId(int i) {
        return String.format("ww-corp-%03d", i);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Live threads by name with their numbers stripped, e.g. "HttpClient-N-Worker-N". */
    static Map<String, Integer> threadGroups() {
        Map<String, Integer> groups = new TreeMap<>();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            String name = info.getThreadName();
            String key;
            if (name.contains("WecomGroupMsgPoll")) {
                key = POLL;
            } else if (name.contains("WecomGroupMsgFanOut")) {
                key = FAN_OUT;
            } else if (name.contains("wecom-groupmsg")) {
                key = PER_ENDPOINT;
            } else if (name.startsWith("wecom-sim-")) {
                key = SIMULATOR;
            } else {
                key = name.replaceAll("\\d+", "N");
            }
            groups.merge(key, 1, Integer::sum);
        }
        return groups;
    }

    /** ESTABLISHED client sockets whose remote port is the simulator's (both ends are in this JVM: count one). */
    static int establishedTo(int port) {
        int count = 0;
        for (String file : new String[] { "/proc/net/tcp", "/proc/net/tcp6" }) {
            try {
                for (String line : Files.readAllLines(Path.of(file))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && "01".equals(f[3]) && f[2].contains(":")
                            && Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16) == port) {
                        count++;
                    }
                }
            } catch (Exception e) {
                // no /proc (not Linux): leave it at what was counted
            }
        }
        return count;
    }
}
