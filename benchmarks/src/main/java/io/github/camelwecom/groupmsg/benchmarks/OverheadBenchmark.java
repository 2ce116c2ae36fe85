package io.github.camelwecom.groupmsg.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.camelwecom.groupmsg.benchmarks.BenchSupport.Export;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;

/**
 * Records/second of a full send-result export (demo data set, ~200k results, latency 0) through a do-nothing Camel
 * route, against a raw JDK HttpClient + Jackson loop with the same page sizes, sequential and with the component's
 * default concurrency (4). Raw loop and component take turns, together with the component on a route with
 * {@code streamCache=false} (reported beside it: Camel's default stream caching looks for a stream converter for every
 * record). Also the simulator alone (replaying the raw loop's requests without parsing), to show it is not the
 * bottleneck. Five warm-up rounds (the JIT keeps improving both sides for several runs), then {@code RUNS} measured
 * rounds; medians are reported. Target: component ≥ 0.8 × raw loop, with Camel's defaults.
 */
public final class OverheadBenchmark {
    static final int RUNS = 7;
    static final int WARMUPS = 5;
    static final int CONCURRENCY = 4;

    public static String[] jvmArgs() {
        return new String[] { "-Xmx2g" };
    }

    public static void main(String[] args) throws Exception {
        DataSet data = DataSet.generate(DataSetSpec.demo());
        long start = data.startEpochSecond();
        long end = data.endEpochSecond();
        long expected = data.groundTruth().countResults("single", start, end, null, 2);
        Map<String, Object> out = BenchSupport.figures();
        out.put("dataSetSendResults", expected);
        try (WecomSimulator sim = WecomSimulator.builder().dataSet(data).build().start()) {
            List<String[]> requests;
            try (RawLoop recorder = new RawLoop(sim.baseUrl(), 1)) {
                recorder.record();
                recorder.export(start, end);
                requests = recorder.recorded();
            }
            out.put("apiCallsPerExport", requests.size() + 1);
            componentVsRawLoop(sim, start, end, expected, out);
            simulatorAlone(sim, requests, expected, out);
        }
        out.put("runs", RUNS);
        BenchSupport.writeResults("overhead", out);
    }

    /** The component's records/s against the raw loop's, sequential and at {@link #CONCURRENCY}. */
    private static void componentVsRawLoop(WecomSimulator sim, long start, long end, long expected,
            Map<String, Object> out) throws Exception {
        for (int c : new int[] { 1, CONCURRENCY }) {
            int concurrency = c;
            Pair pair = measurePairs(c, expected, () -> {
                try (RawLoop loop = new RawLoop(sim.baseUrl(), concurrency)) {
                    long t0 = System.nanoTime();
                    long n = loop.export(start, end);
                    return new Export(n, System.nanoTime() - t0);
                }
            }, () -> BenchSupport.componentExport(sim, concurrency, true),
                    () -> BenchSupport.componentExport(sim, concurrency, false));
            out.put("rawLoopC" + c + "RecordsPerSecond", BenchSupport.round(pair.raw, 0));
            out.put("componentC" + c + "RecordsPerSecond", BenchSupport.round(pair.component, 0));
            out.put("componentVsRawC" + c, BenchSupport.round(pair.ratio, 3));
            out.put("componentNoStreamCacheC" + c + "RecordsPerSecond", BenchSupport.round(pair.noStreamCache, 0));
            out.put("componentNoStreamCacheVsRawC" + c, BenchSupport.round(pair.noStreamCacheRatio, 3));
            System.out.printf("component / raw loop at concurrency %d: %.2f (median of the %d rounds' ratios; "
                    + "target >= 0.8: %s); with streamCache=false on the route: %.2f%n", c, pair.ratio, RUNS,
                    pair.ratio >= 0.8 ? "met" : "MISSED", pair.noStreamCacheRatio);
        }
    }

    /** The simulator replaying the raw loop's requests, without parsing, on 1 and {@link #CONCURRENCY} threads. */
    private static void simulatorAlone(WecomSimulator sim, List<String[]> requests, long expected,
            Map<String, Object> out) throws Exception {
        for (int t : new int[] { 1, CONCURRENCY }) {
            List<Double> rates = new ArrayList<>();
            try (RawLoop loop = new RawLoop(sim.baseUrl(), 1)) {
                loop.replay(requests, t);
                for (int i = 0; i < RUNS; i++) {
                    rates.add(requests.size() / (loop.replay(requests, t) / 1e9));
                }
            }
            double callsPerSecond = BenchSupport.median(rates);
            double recordsPerSecond = callsPerSecond * expected / requests.size();
            System.out.printf("simulator alone, %d thread(s): %.0f calls/s (= %.0f records/s of export pages)%n",
                    t, callsPerSecond, recordsPerSecond);
            out.put("simulatorOnlyT" + t + "CallsPerSecond", BenchSupport.round(callsPerSecond, 0));
            out.put("simulatorOnlyT" + t + "RecordsPerSecond", BenchSupport.round(recordsPerSecond, 0));
        }
    }

    interface Run {
        Export run() throws Exception;
    }

    /**
     * Medians of the raw loop's and the component's rates, and of their ratio within each round; also for the component
     * with stream caching turned off on its route.
     */
    record Pair(double raw, double component, double ratio, double noStreamCache, double noStreamCacheRatio) {
    }

    /**
     * Raw loop, component and component without stream caching take turns, so that a slow phase of this shared machine
     * hits all alike; ratios are taken within each round, then the median of the rounds.
     */
    private static Pair measurePairs(int c, long expected, Run raw, Run component, Run noStreamCache)
            throws Exception {
        for (int i = 0; i < WARMUPS; i++) {
            raw.run();
            component.run();
            noStreamCache.run();
        }
        List<Double> raws = new ArrayList<>();
        List<Double> components = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Double> plainRatios = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            double r = rate("raw loop", raw.run(), expected);
            double k = rate("component", component.run(), expected);
            double p = rate("component without stream caching", noStreamCache.run(), expected);
            raws.add(r);
            components.add(k);
            ratios.add(k / r);
            plain.add(p);
            plainRatios.add(p / r);
        }
        Pair pair = new Pair(BenchSupport.median(raws), BenchSupport.median(components), BenchSupport.median(ratios),
                BenchSupport.median(plain), BenchSupport.median(plainRatios));
        System.out.printf("raw loop, concurrency %d    %,10.0f records/s (median of %d; runs %s)%n", c, pair.raw, RUNS,
                format(raws));
        System.out.printf("component, concurrency %d   %,10.0f records/s (median of %d; runs %s)%n", c,
                pair.component, RUNS, format(components));
        System.out.printf("  streamCache=false         %,10.0f records/s (median of %d; runs %s)%n",
                pair.noStreamCache, RUNS, format(plain));
        return pair;
    }

    private static double rate(String label, Export e, long expected) {
        if (e.records() != expected) {
            System.out.printf("WARNING %s exported %d records, ground truth %d%n", label, e.records(), expected);
        }
        return e.recordsPerSecond();
    }

    private static List<String> format(List<Double> rates) {
        return rates.stream().map(r -> String.format("%.0f", r)).toList();
    }
}
