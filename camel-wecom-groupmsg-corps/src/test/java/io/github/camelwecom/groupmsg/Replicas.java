package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.CorpReplicaProcess.Status;
import io.github.camelwecom.groupmsg.ExportProcess.Child;
import io.github.camelwecom.groupmsg.corps.CorpRoutes;
import io.github.camelwecom.groupmsg.simulator.ApiCall;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the replica tests ({@link CorpReplicasTest}, {@link CorpReplicaFaultsTest}) share: who owns which corp, waiting
 * on the replicas' status files, what they emitted per corp against the ground truth, and from the simulator's call log
 * which replica polled which corp when.
 */
final class Replicas {

    /** Fixed cluster service ids, so who owns which corp is known before the replicas start. */
    static final List<String> NAMES = List.of("replica-1", "replica-2", "replica-3");

    private Replicas() {
    }

    /** Closes the servers a replica test started, those that did start. */
    static void closeAll(AutoCloseable... servers) throws Exception {
        for (AutoCloseable server : servers) {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Each member's corps, as {@link CorpRoutes#ownerOf} shares them out with the replicas' settings. */
    static Map<String, List<String>> owners(Collection<String> corps, List<String> members) {
        Map<String, List<String>> owned = new TreeMap<>();
        members.forEach(m -> owned.put(m, new ArrayList<>()));
        CorpRoutes shares = new CorpRoutes();
        corps.forEach(corp -> owned.get(shares.ownerOf(corp, members)).add(corp));
        return owned;
    }

    /** The first corps {@link CorpReplicaProcess#corpId} of which each of {@link #NAMES} owns {@code each}. */
    static List<String> corpsOwnedEvenly(int each) {
        Map<String, Integer> taken = new HashMap<>();
        List<String> corps = new ArrayList<>();
        CorpRoutes shares = new CorpRoutes();
        for (int i = 0; corps.size() < each * NAMES.size(); i++) {
            String corp = CorpReplicaProcess.corpId(i);
            if (taken.merge(shares.ownerOf(corp, NAMES), 1, Integer::sum) <= each) {
                corps.add(corp);
            }
        }
        return corps;
    }

    /**
     * Waits until each of the live {@code replicas} has routes for exactly the corps it owns among them and polls them
     * all, and no other replica polls any corp, and returns who polls what.
     */
    static Map<String, List<String>> awaitSpread(List<Child> replicas, Collection<String> allCorps, String what) {
        Map<String, List<String>> expected = owners(allCorps, replicas.stream().map(c -> c.emitter).toList());
        Map<String, Status> seen = new TreeMap<>();
        awaitUntil(() -> {
            seen.clear();
            for (Child replica : replicas) {
                seen.put(replica.emitter, Status.read(replica.output.file));
            }
            return expected.entrySet().stream().allMatch(e -> seen.get(e.getKey()).owns().equals(e.getValue())
                    && seen.get(e.getKey()).leads().equals(e.getValue()));
        }, replicas, () -> what + ": " + expected + "; last seen " + seen);
        return expected;
    }

    /** Waits up to 90 s; fails with the replicas' logs when one of them exits or time runs out. */
    static void awaitUntil(Callable<Boolean> condition, List<Child> replicas, Supplier<String> what) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        for (Child replica : replicas) {
                            if (!replica.process.isAlive()) {
                                fail(replica.emitter + " exited while waiting until " + what.get() + "\n"
                                        + replica.logTail());
                            }
                        }
                        return condition.call();
                    });
        } catch (ConditionTimeoutException e) {
            fail("Timed out waiting until " + what.get() + "\n" + replicas.stream().map(Child::logTail)
                    .collect(Collectors.joining("\n")), e);
        }
    }

    /** Waits until every corp's records are emitted by one of {@code replicas}, while {@code live} must live. */
    static void awaitComplete(List<Child> replicas, List<Child> live, Collection<String> corps,
            List<JsonNode> expected) {
        awaitUntil(() -> Check.of(corps, expected, emitted(replicas)).complete(), live,
                () -> "every corp's records emitted: missing " + Check.of(corps, expected, emitted(replicas))
                        .missing());
    }

    /** Waits 3 s during which no replica emits a record, failing if one does within 30 s of trying. */
    static void awaitNothingMore(List<Child> replicas, String what) {
        awaitNothingMore(replicas, Duration.ofSeconds(3), what);
    }

    /** Waits {@code quiet} during which no replica emits a record, failing if one does within 30 s of trying. */
    static void awaitNothingMore(List<Child> replicas, Duration quiet, String what) {
        long[] last = { -1 };
        Awaitility.await(what).during(quiet).atMost(quiet.plusSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    long now = total(replicas);
                    boolean same = now == last[0];
                    last[0] = now;
                    return same;
                });
    }

    static long total(List<Child> replicas) throws IOException {
        long total = 0;
        for (Child replica : replicas) {
            total += replica.output.refresh();
        }
        return total;
    }

    static Map<String, Integer> counts(Map<String, List<String>> spread) {
        Map<String, Integer> counts = new TreeMap<>();
        spread.forEach((replica, corps) -> counts.put(replica, corps.size()));
        return counts;
    }

    /** Per corp: each record any of {@code replicas} emitted, and how often. */
    static Map<String, Map<JsonNode, Integer>> emitted(List<Child> replicas) {
        Map<String, Map<JsonNode, Integer>> emitted = new TreeMap<>();
        for (Child replica : replicas) {
            try {
                replica.output.refresh();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (replica.output) {
                for (int i = 0; i < replica.output.records.size(); i++) {
                    emitted.computeIfAbsent(replica.output.corps.get(i), c -> new HashMap<>())
                            .merge(replica.output.records.get(i), 1, Integer::sum);
                }
            }
        }
        return emitted;
    }

    /** Records per corp one replica emitted. */
    static Map<String, Integer> emittedBy(Child replica) throws IOException {
        replica.output.refresh();
        Map<String, Integer> counts = new TreeMap<>();
        synchronized (replica.output) {
            replica.output.corps.forEach(corp -> counts.merge(corp, 1, Integer::sum));
        }
        return counts;
    }

    /**
     * Each corp's records, all replicas together, against the ground truth: records no replica emitted, records not in
     * it, and records emitted more than once (counting each repeat).
     */
    record Check(Map<String, Integer> missing, Map<String, Integer> extra, Map<String, Long> repeats) {
        static Check of(Collection<String> corps, List<JsonNode> expected,
                Map<String, Map<JsonNode, Integer>> emitted) {
            Set<JsonNode> truth = new HashSet<>(expected);
            Map<String, Integer> missing = new TreeMap<>();
            Map<String, Integer> extra = new TreeMap<>();
            Map<String, Long> repeats = new TreeMap<>();
            for (String corp : corps) {
                Map<JsonNode, Integer> records = emitted.getOrDefault(corp, Map.of());
                Set<JsonNode> absent = new LinkedHashSet<>(expected);
                absent.removeAll(records.keySet());
                Set<JsonNode> unknown = new HashSet<>(records.keySet());
                unknown.removeAll(truth);
                long repeated = records.values().stream().mapToLong(n -> n - 1).sum();
                if (!absent.isEmpty()) {
                    missing.put(corp, absent.size());
                }
                if (!unknown.isEmpty()) {
                    extra.put(corp, unknown.size());
                }
                if (repeated > 0) {
                    repeats.put(corp, repeated);
                }
            }
            return new Check(missing, extra, repeats);
        }

        /** Whether every corp has every record of the ground truth. */
        boolean complete() {
            return missing.isEmpty();
        }
    }

    /**
     * One route's calls for a corp, as the simulator logged them: a replica's tenure of the corp, from its shard's
     * leadership (or the start) to its loss ({@link CorpReplicaProcess} gives each route a base URL path of its own).
     *
     * @param caller {@code <replica>/t<n>}
     * @param firstStart when its first call arrived ({@link System#nanoTime()}, as the simulator logs)
     * @param lastEnd when its last call was answered
     */
    record Tenure(String corp, String caller, long firstStart, long lastStart, long lastEnd, int calls) {
        String replica() {
            int slash = caller.indexOf('/');
            return slash < 0 ? caller : caller.substring(0, slash);
        }
    }

    /**
     * Two routes polling one corp at once: {@code calls} calls of {@code older} started after {@code newer}'s first
     * call. The calls {@code older} had in flight then are its poll's allowance (a killed or stopped route's last calls
     * are still answered) and not counted.
     */
    record Overlap(String corp, Tenure older, Tenure newer, long calls) {
    }

    /** The tenures of each corp, in order of their first calls; calls without caller or corp are left out. */
    static Map<String, List<Tenure>> tenures(List<ApiCall> log) {
        Map<String, Map<String, List<ApiCall>>> byCorp = new TreeMap<>();
        for (ApiCall call : log) {
            if (call.caller() != null && call.corp() != null) {
                byCorp.computeIfAbsent(call.corp(), c -> new TreeMap<>())
                        .computeIfAbsent(call.caller(), c -> new ArrayList<>()).add(call);
            }
        }
        Map<String, List<Tenure>> tenures = new TreeMap<>();
        byCorp.forEach((corp, callers) -> tenures.put(corp, callers.entrySet().stream()
                .map(e -> new Tenure(corp, e.getKey(),
                        e.getValue().stream().mapToLong(ApiCall::startNanos).min().orElseThrow(),
                        e.getValue().stream().mapToLong(ApiCall::startNanos).max().orElseThrow(),
                        e.getValue().stream().mapToLong(ApiCall::endNanos).max().orElseThrow(), e.getValue().size()))
                .sorted(Comparator.comparingLong(Tenure::firstStart)).toList()));
        return tenures;
    }

    /** Every pair of tenures of one corp during which both polled it; none when each ended before the next began. */
    static List<Overlap> overlaps(List<ApiCall> log) {
        List<Overlap> overlaps = new ArrayList<>();
        Map<String, List<ApiCall>> byCaller = new HashMap<>();
        log.stream().filter(c -> c.caller() != null && c.corp() != null)
                .forEach(c -> byCaller.computeIfAbsent(c.corp() + ' ' + c.caller(), k -> new ArrayList<>()).add(c));
        tenures(log).forEach((corp, tenures) -> {
            for (int i = 0; i < tenures.size(); i++) {
                for (int j = i + 1; j < tenures.size(); j++) {
                    Tenure older = tenures.get(i);
                    Tenure newer = tenures.get(j);
                    long calls = byCaller.get(corp + ' ' + older.caller()).stream()
                            .filter(c -> c.startNanos() > newer.firstStart()).count();
                    if (calls > 0) {
                        overlaps.add(new Overlap(corp, older, newer, calls));
                    }
                }
            }
        });
        return overlaps;
    }

    /** Short form for failure messages and figures: corp, callers and calls. */
    static String describe(List<Overlap> overlaps) {
        return overlaps.stream().map(o -> o.corp() + ": " + o.older().caller() + " made " + o.calls()
                + " calls after " + o.newer().caller() + " began")
                .collect(Collectors.joining("; ", "[", "]"));
    }

    /** Where each corp waits, in the replica that is to hold it: mid-batch, two batches and more stored before it. */
    static final int PAUSE_AT = 2 * ExportProcess.LIMIT + ExportProcess.MID_BATCH;

    /** What {@link #killOneReplica} saw; times in milliseconds. */
    record Kill(Map<String, List<String>> balanced, String victim, List<String> victimCorps,
            Map<String, Integer> fromVictim, Map<String, Long> versionsAtKill, Map<String, List<String>> takenOver,
            long balancedAfter, long takenOverAfter, long completeAfter, Check check, List<Overlap> overlaps,
            Map<String, Integer> tenures) {
    }

    /**
     * Three replicas ({@link #NAMES}, started at once with {@code args}, each its own base URL path) share
     * {@code corps}; the last one's corps each wait at record {@link #PAUSE_AT} (the others fail that record until the
     * survivors are let go, so that whoever exports a corp first, it reaches the killed replica before that record).
     * Once every corp is where it should be, the replica is killed with SIGKILL after its checkpoints were stored; the
     * survivors take its corps over from them. Checked: every corp's records are the ground truth, each once but for at
     * most one batch of the killed replica's corps, which the survivors resumed from their checkpoints; no two routes
     * polled a corp at once, joins included (the simulator answers normally throughout).
     */
    static Kill killOneReplica(ExportProcess.Children children, Path dir,
            WecomSimulator simulator, List<String> args,
            List<String> corps, List<JsonNode> expected, String jdbcUrl, String table)
            throws Exception {
        simulator.counters().reset();
        String victimName = NAMES.get(NAMES.size() - 1);
        List<String> victimCorps = owners(corps, NAMES).get(victimName);
        String pauseRecord = expected.get(PAUSE_AT).toString();
        long startedAt = System.nanoTime();
        List<Child> replicas = new ArrayList<>();
        for (String name : NAMES) {
            List<String> own = new ArrayList<>(args);
            own.addAll(List.of("--pause-at-record", pauseRecord));
            if (name.equals(victimName)) {
                own.addAll(List.of("--pause-corps", String.join(",", victimCorps)));
            }
            replicas.add(children.start(dir, name, CorpReplicaProcess.class, own));
        }
        Child victim = replicas.get(replicas.size() - 1);
        List<Child> survivors = replicas.subList(0, replicas.size() - 1);

        Map<String, List<String>> balanced = awaitSpread(replicas, corps,
                "every corp polled by the one of 3 replicas that owns it");
        long balancedAt = System.nanoTime();
        awaitUntil(() -> Status.read(victim.output.file).paused().equals(victimCorps), replicas,
                () -> victim.emitter + " waits at record " + PAUSE_AT + " of each of " + victimCorps + "; it waits at "
                        + Status.read(victim.output.file).paused());
        for (Child survivor : survivors) {
            survivor.resume();
        }
        Map<String, Integer> fromVictim = emittedBy(victim);
        Map<String, Long> versions = checkpointVersions(jdbcUrl, table);
        for (String corp : victimCorps) {
            // a claim or first write, and at least one checkpoint after it
            assertThat(versions.getOrDefault(corp, 0L))
                    .as("writes of %s's checkpoint before %s is killed", corp, victim.emitter)
                    .isGreaterThanOrEqualTo(2);
        }
        List<String> leads = Status.read(victim.output.file).leads();
        Map<String, Long> resumedBefore = resumed(survivors, victimCorps);
        victim.kill();
        long killedAt = System.nanoTime();

        Map<String, List<String>> takenOver = awaitSpread(survivors, corps,
                "every corp polled by the one of the 2 survivors that owns it");
        long takenOverAt = System.nanoTime();
        awaitComplete(replicas, survivors, corps, expected);
        long completeAt = System.nanoTime();
        awaitNothingMore(survivors, "no record after every corp is complete");

        Check check = Check.of(corps, expected, emitted(replicas));
        List<ApiCall> log = simulator.counters().callLog();
        Map<String, Integer> tenures = new TreeMap<>();
        tenures(log).forEach((corp, list) -> tenures.put(corp, list.size()));
        Kill kill = new Kill(balanced, victim.emitter, victimCorps, fromVictim, versions, takenOver,
                (balancedAt - startedAt) / 1_000_000, (takenOverAt - killedAt) / 1_000_000,
                (completeAt - killedAt) / 1_000_000, check, overlaps(log), tenures);
        assertThat(leads).as("the corps %s polls when killed", victim.emitter)
                .containsExactlyInAnyOrderElementsOf(victimCorps);
        assertThat(check.extra()).as("records not in the ground truth").isEmpty();
        assertThat(check.repeats().keySet())
                .as("corps with records emitted twice: only the killed replica's").isSubsetOf(victimCorps);
        assertThat(check.repeats().values())
                .as("records emitted twice per corp: at most the killed replica's last batch")
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(ExportProcess.LIMIT));
        Map<String, Long> resumedAfter = resumed(survivors, victimCorps);
        for (String corp : victimCorps) {
            assertThat(resumedAfter.get(corp)).as("a survivor resumed %s from its checkpoint after the kill", corp)
                    .isGreaterThan(resumedBefore.get(corp));
        }
        assertThat(kill.overlaps()).as("routes that polled a corp at once: %s", describe(kill.overlaps()))
                .isEmpty();
        return kill;
    }

    /** Per corp: how often the replicas' consumers of it started from a checkpoint, as their logs say. */
    static Map<String, Long> resumed(List<Child> replicas, List<String> corps) {
        Map<String, Long> resumed = new TreeMap<>();
        for (String corp : corps) {
            String line = "export of route " + CorpReplicaProcess.TEMPLATE + "-" + corp + " from pass";
            resumed.put(corp, replicas.stream().mapToLong(r -> r.logCount(line)).sum());
        }
        return resumed;
    }

    /** The state_version of each corp's checkpoint in a JdbcStateRepository table (keys name the corp second). */
    static Map<String, Long> checkpointVersions(String jdbcUrl, String table) throws SQLException {
        Map<String, Long> versions = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement select = connection.createStatement();
                ResultSet rows = select.executeQuery("SELECT state_key, state_version FROM " + table)) {
            while (rows.next()) {
                versions.put(rows.getString(1).split("\\|")[1], rows.getLong(2));
            }
        }
        return versions;
    }
}
