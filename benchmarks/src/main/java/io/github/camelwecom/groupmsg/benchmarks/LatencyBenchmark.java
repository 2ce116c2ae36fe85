package io.github.camelwecom.groupmsg.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.benchmarks.BenchSupport.Export;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.SimulatorCounters;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import me.chanjar.weixin.cp.api.WxCpExternalContactService;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgListResult;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgSendResult;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgTaskResult;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;

/**
 * A full send-result export of the small data set (~4,700 results) with 20 ms latency on every API answer: WxJava's
 * sequential loop as its users write it, against the component at concurrency 1, 4 and 16. Both run as in a service
 * that keeps its client: one WxCpService, one CamelContext (a new route per export), so the token fetched in the
 * warm-up serves every measured run of both. Reports wall time, records and API calls (simulator counters, reset
 * between runs), each the median of 3 runs after {@link #WARM_UPS} warm-ups, the speed-up vs WxJava and the floor
 * {@code calls × latency / concurrency}; the calls made against the minimum (full pages); and the component at 16 on a
 * ~10,000-result export. Targets: ≥ 3× WxJava at 4, ≥ 8× at 16, within 1.5× of the floor.
 */
public final class LatencyBenchmark {
    static final Duration LATENCY = Duration.ofMillis(20);
    static final long WINDOW = 30L * 24 * 3600;

    public static void main(String[] args) throws Exception {
        DataSet data = DataSet.generate(DataSetSpec.small());
        long start = data.startEpochSecond();
        long end = data.endEpochSecond();
        GroundTruth truth = data.groundTruth();
        long expected = truth.countResults("single", start, end, null, 2);
        long minimum = minimumCalls(truth, start, end);
        Map<String, Object> out = BenchSupport.figures();
        out.put("latencyMs", LATENCY.toMillis());
        out.put("groundTruthRecords", expected);
        out.put("minimumCalls", minimum);
        System.out.printf("ground truth: %d send results; minimum API calls for the export: %d%n", expected, minimum);
        try (WecomSimulator sim = WecomSimulator.builder().dataSet(data).latency(LATENCY).build().start()) {
            SimulatorCounters counters = sim.counters();
            warmUp(sim, start, end);
            sim.setLatency(LATENCY);

            Run wx = measure(counters, () -> {
                long t0 = System.nanoTime();
                long n = wxJavaExport(sim, start, end);
                return new Export(n, System.nanoTime() - t0);
            }, expected);
            double wxSeconds = wx.seconds;
            report(out, "wxJava", wx, expected, minimum, 1, 0);
            componentRuns(sim, expected, minimum, wxSeconds, out);
        }
        largerExport(out);
        BenchSupport.writeResults("latency", out);
    }

    /** The component at concurrency 1, 4 and 16, against WxJava's time and the floor. */
    private static void componentRuns(WecomSimulator sim, long expected, long minimum, double wxSeconds,
            Map<String, Object> out) throws Exception {
        for (int c : new int[] { 1, 4, 16 }) {
            Run e = measure(sim.counters(), () -> BenchSupport.componentExport(sim, c), expected);
            report(out, "componentC" + c, e, expected, minimum, c, wxSeconds);
            double speedUp = wxSeconds / e.seconds;
            if (c == 4 || c == 16) {
                double target = c == 4 ? 3 : 8;
                System.out.printf("  speed-up at %d vs WxJava: %.2fx (target >= %.0fx: %s)%n", c, speedUp, target,
                        speedUp >= target ? "met" : "MISSED");
            }
            System.out.printf("  %s of the floor (target <= 1.5x: %s)%n",
                    String.format("%.2fx", out.get("componentC" + c + "VsFloor")),
                    ((Double) out.get("componentC" + c + "VsFloor")) <= 1.5 ? "met" : "MISSED");
        }
    }

    static final int RUNS = 3;
    static final int WARM_UPS = 40;

    /**
     * Both sides export {@link #WARM_UPS} times without latency first, as a service's JVM has long been running when it
     * exports: an export makes only ~80 calls, so the per-call code (HTTP, paging, fan-out) needs dozens of exports
     * before the JIT has compiled it; with one warm-up the first measured runs paid for compilation on the same two
     * processors the calls ran on.
     */
    private static void warmUp(WecomSimulator sim, long start, long end) throws Exception {
        sim.setLatency(Duration.ZERO);
        for (int i = 0; i < WARM_UPS; i++) {
            wxJavaExport(sim, start, end);
            BenchSupport.componentExport(sim, i % 2 == 0 ? 4 : 16);
        }
    }

    static final long LARGER_EXPORT_RESULTS = 10_000;

    /**
     * The same export at concurrency 16 over a larger data set (about 10,000 results, ~750 calls): on the small one the
     * chain gettoken → list → task → result pages is a large part of the floor, here it is not.
     */
    private static void largerExport(Map<String, Object> out) throws Exception {
        DataSet data = DataSet.generate(DataSetSpec.withResults(LARGER_EXPORT_RESULTS));
        long expected = data.groundTruth().countResults("single", data.startEpochSecond(), data.endEpochSecond(),
                null, 2);
        long minimum = minimumCalls(data.groundTruth(), data.startEpochSecond(), data.endEpochSecond());
        try (WecomSimulator sim = WecomSimulator.builder().dataSet(data).build().start()) {
            for (int i = 0; i < WARM_UPS / 4; i++) {
                BenchSupport.componentExport(sim, 16);
            }
            sim.setLatency(LATENCY);
            Run e = measure(sim.counters(), () -> BenchSupport.componentExport(sim, 16), expected);
            double floor = e.calls * LATENCY.toMillis() / 1000.0 / 16;
            out.put("largerExportRecords", e.records);
            out.put("largerExportRecordsMatchGroundTruth", e.records == expected ? "yes" : "NO");
            out.put("largerExportC16ApiCalls", e.calls);
            out.put("largerExportC16CallsVsMinimum", BenchSupport.round((double) e.calls / minimum, 3));
            out.put("largerExportC16Seconds", BenchSupport.round(e.seconds, 3));
            out.put("largerExportC16FloorSeconds", BenchSupport.round(floor, 3));
            out.put("largerExportC16VsFloor", BenchSupport.round(e.seconds / floor, 3));
            System.out.printf("larger export (%,d results, %,d calls) at concurrency 16: %.2f s, floor %.2f s, "
                    + "%.2fx of the floor (median of %s s)%n", e.records, e.calls, e.seconds, floor,
                    e.seconds / floor, e.all);
        }
    }

    interface Exporter {
        Export run() throws Exception;
    }

    /** Median wall time of {@link #RUNS} runs; records and calls of the run furthest from the expected / the most. */
    record Run(double seconds, long records, long calls, long tokens, List<Double> all) {
    }

    private static Run measure(SimulatorCounters counters, Exporter exporter, long expected) throws Exception {
        List<Double> all = new ArrayList<>();
        long records = expected;
        long calls = 0;
        long tokens = 0;
        for (int i = 0; i < RUNS; i++) {
            counters.reset();
            Export e = exporter.run();
            all.add(BenchSupport.round(e.seconds(), 3));
            if (e.records() != expected) {
                records = e.records();
            }
            calls = Math.max(calls, counters.totalCalls());
            tokens = Math.max(tokens, counters.calls(Api.GETTOKEN));
        }
        return new Run(BenchSupport.median(all), records, calls, tokens, all);
    }

    private static void report(Map<String, Object> out, String name, Run run, long expected, long minimum,
            int concurrency, double wxSeconds) {
        double seconds = run.seconds;
        long records = run.records;
        long calls = run.calls;
        long tokens = run.tokens;
        double floor = calls * LATENCY.toMillis() / 1000.0 / concurrency;
        out.put(name + "Seconds", BenchSupport.round(seconds, 3));
        out.put(name + "SecondsOfRuns", run.all.toString());
        out.put(name + "Records", records);
        out.put(name + "RecordsMatchGroundTruth", records == expected ? "yes" : "NO");
        out.put(name + "ApiCalls", calls);
        out.put(name + "GettokenCalls", tokens);
        out.put(name + "CallsVsMinimum", BenchSupport.round((double) calls / minimum, 3));
        out.put(name + "FloorSeconds", BenchSupport.round(floor, 3));
        out.put(name + "VsFloor", BenchSupport.round(seconds / floor, 3));
        if (wxSeconds > 0) {
            out.put(name + "SpeedUpVsWxJava", BenchSupport.round(wxSeconds / seconds, 2));
        }
        System.out.printf("%-12s %7.2f s  %,6d records (%s ground truth)  %,5d API calls (%d gettoken; %.2fx minimum)"
                + "  floor %.2f s%s  (median of %s s)%n", name, seconds, records, records == expected ? "=" : "!=",
                calls, tokens,
                (double) calls / minimum, floor, wxSeconds > 0 ? String.format("  %.2fx WxJava", wxSeconds / seconds)
                        : "",
                run.all);
    }

    private static WxCpService service;

    /** One WxCpService for all runs, as a service keeps it: its token is fetched once, like the component's. */
    private static WxCpService service(WecomSimulator sim) {
        if (service == null) {
            WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
            config.setCorpId(WecomSimulator.DEFAULT_CORP_ID);
            config.setCorpSecret(WecomSimulator.DEFAULT_CORP_SECRET);
            config.setBaseApiUrl(sim.baseUrl());
            service = new WxCpServiceImpl();
            service.setWxCpConfigStorage(config);
        }
        return service;
    }

    /** WxJava as its users write it: one sequential loop over the three APIs with their cursors. */
    static long wxJavaExport(WecomSimulator sim, long start, long end) throws Exception {
        WxCpExternalContactService ext = service(sim).getExternalContactService();
        long records = 0;
        for (long ws = start; ws <= end; ws += WINDOW) {
            long we = Math.min(end, ws + WINDOW - 1);
            String listCursor = null;
            do {
                WxCpGroupMsgListResult list = ext.getGroupMsgListV2("single", new Date(ws * 1000), new Date(we * 1000),
                        null, 2, 100, listCursor);
                if (list.getGroupMsgList() != null) {
                    for (WxCpGroupMsgListResult.ExternalContactGroupMsgInfo msg : list.getGroupMsgList()) {
                        String taskCursor = null;
                        do {
                            WxCpGroupMsgTaskResult tasks = ext.getGroupMsgTask(msg.getMsgId(), 1000, taskCursor);
                            if (tasks.getTaskList() != null) {
                                for (WxCpGroupMsgTaskResult.ExternalContactGroupMsgTaskInfo task : tasks
                                        .getTaskList()) {
                                    String resultCursor = null;
                                    do {
                                        WxCpGroupMsgSendResult results = ext.getGroupMsgSendResult(msg.getMsgId(),
                                                task.getUserId(), 1000, resultCursor);
                                        if (results.getSendList() != null) {
                                            records += results.getSendList().size();
                                        }
                                        resultCursor = results.getNextCursor();
                                    } while (resultCursor != null && !resultCursor.isEmpty());
                                }
                            }
                            taskCursor = tasks.getNextCursor();
                        } while (taskCursor != null && !taskCursor.isEmpty());
                    }
                }
                listCursor = list.getNextCursor();
            } while (listCursor != null && !listCursor.isEmpty());
        }
        return records;
    }

    /**
     * Full pages everywhere: list per 30-day window, task per message, result per (message, member); no gettoken, since
     * the token fetched in the warm-up is still valid (gettoken calls are reported on their own).
     */
    static long minimumCalls(GroundTruth truth, long start, long end) {
        long calls = 0;
        for (long ws = start; ws <= end; ws += WINDOW) {
            long we = Math.min(end, ws + WINDOW - 1);
            List<ObjectNode> msgs = new ArrayList<>(truth.messages("single", ws, we, null, 2).toList());
            calls += pages(msgs.size(), 100);
            for (ObjectNode m : msgs) {
                String msgid = m.path("msgid").asText();
                List<ObjectNode> tasks = truth.tasks(msgid).toList();
                calls += pages(tasks.size(), 1000);
                for (ObjectNode t : tasks) {
                    calls += pages(truth.countResults(msgid, t.path("userid").asText()), 1000);
                }
            }
        }
        return calls;
    }

    private static long pages(long records, int limit) {
        return Math.max(1, (records + limit - 1) / limit);
    }
}
