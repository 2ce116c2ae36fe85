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
 * default concurrency (4); plus the simulator alone (replaying the raw loop's requests without parsing) to show
 * the simulator is not the bottleneck. One warm-up, then {@code RUNS} measured runs each; the median is reported.
 * Target: component ≥ 0.8 × raw loop.
 */
public final class OverheadBenchmark {
    static final int RUNS = 3;
    static final int CONCURRENCY = 4;

    public static String[] jvmArgs() {
        return new String[] {"-Xmx2g"};
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
            for (int c : new int[] {1, CONCURRENCY}) {
                double raw = measure("raw loop, concurrency " + c, expected, () -> {
                    try (RawLoop loop = new RawLoop(sim.baseUrl(), c)) {
                        long t0 = System.nanoTime();
                        long n = loop.export(start, end);
                        return new Export(n, System.nanoTime() - t0);
                    }
                });
                double comp = measure("component, concurrency " + c, expected,
                        () -> BenchSupport.componentExport(sim, c));
                out.put("rawLoopC" + c + "RecordsPerSecond", BenchSupport.round(raw, 0));
                out.put("componentC" + c + "RecordsPerSecond", BenchSupport.round(comp, 0));
                double ratio = comp / raw;
                out.put("componentVsRawC" + c, BenchSupport.round(ratio, 3));
                System.out.printf("component / raw loop at concurrency %d: %.2f (target >= 0.8: %s)%n", c, ratio,
                        ratio >= 0.8 ? "met" : "MISSED");
            }
            for (int t : new int[] {1, CONCURRENCY}) {
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
        out.put("runs", RUNS);
        BenchSupport.writeResults("overhead", out);
    }

    interface Run {
        Export run() throws Exception;
    }

    private static double measure(String label, long expected, Run run) throws Exception {
        run.run(); // warm-up
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            Export e = run.run();
            if (e.records() != expected) {
                System.out.printf("WARNING %s exported %d records, ground truth %d%n", label, e.records(), expected);
            }
            rates.add(e.recordsPerSecond());
        }
        double median = BenchSupport.median(rates);
        System.out.printf("%-28s %,10.0f records/s (median of %d; runs %s)%n", label, median, RUNS, rates.stream()
                .map(r -> String.format("%.0f", r)).toList());
        return median;
    }
}
