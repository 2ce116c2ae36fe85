package io.github.camelwecom.groupmsg.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/** Shared bits of the benchmarks: the results directory, the JSON file, a component export, medians. */
public final class BenchSupport {

    /** Where every benchmark writes {@code <name>.json}; BenchmarkReport passes it as a system property. */
    public static Path resultsDir() {
        return Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
    }

    public static Path writeResults(String name, Map<String, ?> figures) throws IOException {
        Path dir = resultsDir();
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
        System.out.println("wrote " + file.toAbsolutePath());
        return file;
    }

    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** One component export's outcome. */
    public record Export(long records, long nanos) {
        public double seconds() {
            return nanos / 1e9;
        }

        public double recordsPerSecond() {
            return records / seconds();
        }
    }

    /**
     * The CamelContext every component export of this JVM runs in, started once: a service keeps its context (and with
     * it the component's connection pool and threads) for all its exports, so the benchmarks do too.
     */
    private static CamelContext context;
    private static int routes;

    /**
     * A CamelContext whose component keeps its call budget out of reach: these benchmarks' simulator refuses nothing,
     * and their figures are the component's own work (the budget's pacing is {@link CallBudgetBenchmark}'s); at WeCom's
     * default limits a fast local export would wait for the minute's budget instead.
     */
    static DefaultCamelContext camel() {
        DefaultCamelContext camel = new DefaultCamelContext();
        WecomGroupMsgComponent c = camel.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class);
        c.setCallLimitCorpPerMinute(Integer.MAX_VALUE);
        c.setCallLimitCorpPerHour(Integer.MAX_VALUE);
        c.setCallLimitIpPerMinute(Integer.MAX_VALUE);
        c.setCallLimitIpPerHour(Integer.MAX_VALUE);
        return camel;
    }

    private static synchronized CamelContext context() {
        if (context == null) {
            context = camel();
            context.start();
            Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
        }
        return context;
    }

    /**
     * A full bounded send-result export (single chats, the whole data set) through a new Camel route whose only step is
     * a no-op processor; timed from adding the route (which starts it) to {@link WecomGroupMsgConsumer#isFinished()}.
     * The route is removed afterwards.
     */
    public static Export componentExport(WecomSimulator sim, int concurrency) throws Exception {
        return componentExport(sim, concurrency, true);
    }

    /** {@link #componentExport(WecomSimulator, int)}, with the route's stream caching on (Camel's default) or off. */
    public static Export componentExport(WecomSimulator sim, int concurrency, boolean streamCache) throws Exception {
        long start = sim.dataSet().startEpochSecond();
        long end = sim.dataSet().endEpochSecond();
        String uri = "wecom-groupmsg:result?corpId=" + WecomSimulator.DEFAULT_CORP_ID
                + "&corpSecret=" + WecomSimulator.DEFAULT_CORP_SECRET
                + "&baseUrl=" + sim.baseUrl() + "&chatType=single&filterType=2"
                + "&startTime=" + start + "&endTime=" + end
                + "&concurrency=" + concurrency + "&initialDelay=0&delay=50";
        CamelContext camel = context();
        String routeId = "bench-" + ++routes;
        long t0 = System.nanoTime();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).streamCache(String.valueOf(streamCache)).process(exchange -> {
                });
            }
        });
        try {
            WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) camel.getRoute(routeId).getConsumer();
            while (!consumer.isFinished()) {
                Thread.sleep(1);
            }
            long nanos = System.nanoTime() - t0;
            return new Export(consumer.getRecordsEmitted(), nanos);
        } finally {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
    }

    /** Heap in use after full collections, in MB. */
    public static double heapAfterGcMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    public static Map<String, Object> figures() {
        return new LinkedHashMap<>();
    }

    private BenchSupport() {
    }
}
