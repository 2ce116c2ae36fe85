package io.github.camelwecom.groupmsg.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import io.github.camelwecom.groupmsg.simulator.WecomSimulatorMain;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Exports about 1,000,000 send results ({@code --preset large}) through a route that only counts them, in a 64 MB heap,
 * with the simulator in a JVM of its own so that only the component lives in this heap. Shows that an export streams
 * page by page instead of holding the whole export in memory. Peak heap used is sampled every 50 ms.
 */
public final class MemoryBenchmark {

    static final String NAME = "memory";
    static final String CORP_ID = WecomSimulator.DEFAULT_CORP_ID;
    static final String CORP_SECRET = WecomSimulator.DEFAULT_CORP_SECRET;

    private MemoryBenchmark() {
    }

    /** The JVM options the runner starts this benchmark with: the heap the component must fit in. */
    public static String[] jvmArgs() {
        return new String[] { "-Xmx64m" };
    }

    public static void main(String[] args) throws Exception {
        long maxSeconds = args.length > 0 ? Long.parseLong(args[0]) : 900;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Process simulator = startSimulator();
        try {
            SimulatorInfo sim = readSimulatorInfo(simulator);
            System.out.println("simulator (separate JVM, pid " + simulator.pid() + ") at " + sim.baseUrl
                    + ", messages " + sim.start + ".." + sim.end);
            if (!export(sim, memory, maxSeconds)) {
                System.exit(1);
            }
        } finally {
            simulator.destroy();
            if (!simulator.waitFor(10, TimeUnit.SECONDS)) {
                simulator.destroyForcibly();
            }
        }
    }

    /** The export through a route that only counts, with the heap sampled; writes the figures. True if it ended. */
    static boolean export(SimulatorInfo sim, MemoryMXBean memory, long maxSeconds) throws Exception {
        AtomicLong records = new AtomicLong();
        AtomicLong peakUsed = new AtomicLong();
        Thread sampler = heapSampler(memory, peakUsed);
        DefaultCamelContext context = BenchSupport.camel();
        String uri = "wecom-groupmsg:result?baseUrl=" + sim.baseUrl + "&corpId=" + CORP_ID
                + "&corpSecret=RAW(" + CORP_SECRET + ")&chatType=single&startTime=" + sim.start
                + "&endTime=" + sim.end + "&initialDelay=0&delay=1000";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("export").process(exchange -> records.incrementAndGet());
            }
        });
        sampler.start();
        long t0 = System.nanoTime();
        context.start();
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("export").getConsumer();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(maxSeconds);
        long nextLine = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!consumer.isFinished() && context.getRoute("export") != null && System.nanoTime() < deadline) {
            Thread.sleep(20);
            if (System.nanoTime() > nextLine) {
                System.out.printf("  ... %,d records, heap used now %.1f MB%n", records.get(),
                        memory.getHeapMemoryUsage().getUsed() / 1048576.0);
                nextLine += TimeUnit.SECONDS.toNanos(10);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        boolean finished = consumer.isFinished();
        sampler.interrupt();
        context.stop();
        report(sim, memory, finished, records.get(), seconds, peakUsed.get());
        return finished;
    }

    /** A daemon thread, not yet started, that keeps the most heap used it sees every 50 ms in {@code peakUsed}. */
    private static Thread heapSampler(MemoryMXBean memory, AtomicLong peakUsed) {
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        return sampler;
    }

    /** Prints the figures of the export and writes them, with the heap after a GC, to {@code memory.json}. */
    private static void report(SimulatorInfo sim, MemoryMXBean memory, boolean finished, long records,
            double seconds, long peakUsed) throws Exception {
        long maxHeap = memory.getHeapMemoryUsage().getMax();
        long peakPoolUsed = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getPeakUsage() != null)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long usedAfterGc = memory.getHeapMemoryUsage().getUsed();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("finished", finished ? "yes" : "no");
        out.put("records", records);
        out.put("seconds", round(seconds));
        out.put("recordsPerSecond", Math.round(records / seconds));
        out.put("peakHeapUsedMb", round(peakUsed / 1048576.0));
        out.put("sumOfHeapPoolPeaksMb", round(peakPoolUsed / 1048576.0));
        out.put("heapUsedAfterGcMb", round(usedAfterGc / 1048576.0));
        out.put("maxHeapMb", round(maxHeap / 1048576.0));
        out.put("simulatorSendResults", sim.dataSet);

        System.out.println("export finished: " + out.get("finished"));
        System.out.printf("records: %,d%n", records);
        System.out.printf("seconds: %.2f%n", seconds);
        System.out.printf("records/s: %,d%n", out.get("recordsPerSecond"));
        System.out.printf("peak heap used (sampled every 50 ms): %.1f MB%n", peakUsed / 1048576.0);
        System.out.printf("sum of heap pools' peak usage: %.1f MB%n", peakPoolUsed / 1048576.0);
        System.out.printf("heap used after GC, context stopped: %.1f MB%n", usedAfterGc / 1048576.0);
        System.out.printf("max heap: %.1f MB%n", maxHeap / 1048576.0);
        writeJson(NAME, out);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** What the simulator printed: base URL, the data set and the time range of its messages. */
    record SimulatorInfo(String baseUrl, String dataSet, long start, long end) {
    }

    /** {@code WecomSimulatorMain --preset large} in a JVM of its own with a heap big enough for the data set. */
    static Process startSimulator() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx3g", "-cp", System.getProperty("java.class.path"),
                WecomSimulatorMain.class.getName(), "--port", "0", "--preset", "large", "--host", "127.0.0.1");
        pb.redirectErrorStream(true);
        return pb.start();
    }

    static SimulatorInfo readSimulatorInfo(Process process) throws Exception {
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<SimulatorInfo> info = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            String baseUrl = null;
            String dataSet = "";
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    String l = line.trim();
                    if (l.startsWith("WeCom simulator running at ")) {
                        baseUrl = l.substring("WeCom simulator running at ".length()).trim();
                    } else if (l.startsWith("DataSet[")) {
                        dataSet = l;
                    } else if (l.startsWith("messages created from ") && baseUrl != null) {
                        String[] w = l.split("\\s+");
                        info.complete(new SimulatorInfo(baseUrl, dataSet, Long.parseLong(w[3]), Long.parseLong(w[5])));
                    } else if (!info.isDone()) {
                        System.out.println("[simulator] " + l);
                    }
                }
            } catch (Exception e) {
                info.completeExceptionally(e);
            }
            info.completeExceptionally(new IllegalStateException("simulator ended without printing its base URL"));
        }, "simulator-output");
        pump.setDaemon(true);
        pump.start();
        return info.get(300, TimeUnit.SECONDS);
    }

    /**
     * Writes {@code <name>.json} to the directory BenchmarkReport passes as {@code -Dbenchmarks.results}, else
     * {@code benchmarks/target/results} (or target/results when run from the module).
     */
    static void writeJson(String name, Map<String, Object> values) throws Exception {
        String given = System.getProperty("benchmarks.results");
        File base = given != null ? new File(given)
                : new File("benchmarks/pom.xml").isFile() ? new File("benchmarks/target/results")
                : new File("target/results");
        Files.createDirectories(base.toPath());
        File file = new File(base, name + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file, values);
        System.out.println("wrote " + file.getPath());
    }
}
