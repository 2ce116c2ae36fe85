package io.github.camelwecom.groupmsg;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.CorpReplicaProcess.Status;
import io.github.camelwecom.groupmsg.ExportProcess.Child;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.Fault;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import io.github.camelwecom.groupmsg.corps.CorpRoutes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.camelwecom.groupmsg.ExportProcess.ENDPOINT;
import static io.github.camelwecom.groupmsg.ExportProcess.LIMIT;
import static io.github.camelwecom.groupmsg.ExportProcess.MID_BATCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Corps spread over three replicas, each a JVM of its own ({@link CorpReplicaProcess}): 30 corps shared out by
 * {@link CorpRoutes} over the members of a ZooKeeper view (Curator's in-process TestingServer), a route per corp in
 * the shards a replica owns and leads, and one shared state ({@link #sharedState}). Each corp is polled by exactly the replica that
 * owns it ({@link CorpRoutes#ownerOf}), each replica owns 6 to 14; one replica is killed with SIGKILL in the middle of
 * its corps' exports and the two others take them over from the checkpoints, each exactly those it now owns. Every
 * corp sees the same data set, so each corp's records, all replicas together, are the ground truth; a record comes
 * twice only from a batch the killed replica had not finished.
 * <p>
 * WeCom (the simulator) answers "system busy" until the corps are balanced, so that moves while replicas join emit
 * nothing; the killed replica holds after {@link #HOLD_AT} records, fewer than one corp has, so that every corp it
 * polls is cut, however fast the machine.
 */
class CorpReplicasTest {

    static final int CORPS = 30;
    /** Fixed cluster service ids, so who owns which corp is known before the replicas start. */
    static final List<String> REPLICAS = List.of("replica-1", "replica-2", "replica-3");
    /** Records the killed replica writes, over all its corps, before it holds: less than one corp's export. */
    static final int HOLD_AT = 2 * LIMIT + MID_BATCH;

    static DataSet data;
    static WecomSimulator simulator;
    static TestingServer zookeeper;
    static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @RegisterExtension
    final ExportProcess.Children children = new ExportProcess.Children();

    @BeforeAll
    static void start(@TempDir File zookeeperData) throws Exception {
        data = DataSet.generate(DataSetSpec.withResults(1_500));
        WecomSimulator.Builder builder = WecomSimulator.builder().port(0).dataSet(data)
                .latency(Duration.ofMillis(2));
        for (int i = 0; i < CORPS; i++) {
            String corpId = CorpReplicaProcess.corpId(i);
            builder.credentials(corpId, CorpReplicaProcess.corpSecret(corpId));
        }
        simulator = builder.build().start();
        // tick 500 ms: sessions of 1 to 10 s are allowed, so a replica's 5 s session ends 5 s after its SIGKILL
        zookeeper = new TestingServer(new InstanceSpec(zookeeperData, -1, -1, -1, true, -1, 500, -1), true);
        postgres = JdbcStateRepositoryPostgresTest.startEmbeddedPostgres();
    }

    /** The state the replicas share: a JdbcStateRepository on PostgreSQL ({@code --state-dir} would do too). */
    private List<String> sharedState() {
        return List.of("--jdbc-url", postgres.getJdbcUrl("postgres", "postgres"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void corpsAreSpreadAndAKilledReplicasCorpsAreTakenOver() throws Exception {
        List<JsonNode> expected = ExportProcess.expectedRecords(data);
        assertThat(expected).as("one corp's records").hasSizeGreaterThan(HOLD_AT + LIMIT);
        Set<String> allCorps = IntStream.range(0, CORPS).mapToObj(CorpReplicaProcess::corpId)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, List<String>> owned = owners(allCorps, REPLICAS);
        assertThat(owned.values()).as("corps each of 3 replicas owns: %s", owned)
                .allSatisfy(corps -> assertThat(corps).hasSizeBetween(6, 14));
        long startedAt = System.nanoTime();

        simulator.faults().probability(Fault.SYSTEM_BUSY, 1.0);
        List<Child> replicas = new ArrayList<>();
        for (String name : REPLICAS) {
            List<String> args = new ArrayList<>(List.of("--base-url", simulator.baseUrl(), "--endpoint", ENDPOINT,
                    "--zookeeper", zookeeper.getConnectString(), "--corps", String.valueOf(CORPS), "--max-seconds",
                    "300"));
            args.addAll(sharedState());
            if (replicas.size() == REPLICAS.size() - 1) {
                args.addAll(List.of("--hold-at", String.valueOf(HOLD_AT)));
            }
            replicas.add(children.start(dir, name, CorpReplicaProcess.class, args));
        }
        Child victim = replicas.get(REPLICAS.size() - 1);

        Map<String, List<String>> balanced = awaitSpread(replicas, allCorps,
                "every corp polled by the one of 3 replicas that owns it");
        long balancedAt = System.nanoTime();
        simulator.faults().probability(Fault.SYSTEM_BUSY, 0);
        victim.await(Duration.ofMinutes(2), () -> victim.logContains("holding at")
                                                  && victim.output.refresh() == HOLD_AT,
                victim.emitter + " holds at " + HOLD_AT + " records");
        Set<String> victimCorps = new TreeSet<>(Status.read(victim.output.file).leads());
        assertThat(victimCorps).as("the corps %s polls when killed", victim.emitter)
                .containsExactlyInAnyOrderElementsOf(balanced.get(victim.emitter));
        victim.kill();
        long killedAt = System.nanoTime();

        List<Child> survivors = replicas.subList(0, REPLICAS.size() - 1);
        Map<String, List<String>> takenOver = awaitSpread(survivors, allCorps,
                "every corp polled by the one of the 2 survivors that owns it");
        assertThat(takenOver.values()).as("corps each survivor owns: %s", takenOver)
                .allSatisfy(corps -> assertThat(corps).hasSizeBetween(10, 20));
        for (Child survivor : survivors) {
            assertThat(takenOver.get(survivor.emitter)).as("a survivor keeps its own corps")
                    .containsAll(balanced.get(survivor.emitter));
        }
        long takenOverAt = System.nanoTime();
        awaitUntil(() -> {
            Set<String> finished = new TreeSet<>();
            for (Child survivor : survivors) {
                finished.addAll(Status.read(survivor.output.file).finished());
            }
            return finished.equals(allCorps);
        }, survivors, () -> "every corp's export finished");

        // per corp: what every replica emitted, and how often
        Map<String, Map<JsonNode, Integer>> emitted = new TreeMap<>();
        Map<String, Integer> fromVictim = new TreeMap<>();
        for (Child replica : replicas) {
            replica.output.refresh();
            for (int i = 0; i < replica.output.records.size(); i++) {
                String corp = replica.output.corps.get(i);
                emitted.computeIfAbsent(corp, c -> new HashMap<>()).merge(replica.output.records.get(i), 1,
                        Integer::sum);
                if (replica == victim) {
                    fromVictim.merge(corp, 1, Integer::sum);
                }
            }
        }
        Set<JsonNode> truth = new HashSet<>(expected);
        Map<String, Long> repeats = new TreeMap<>();
        for (String corp : allCorps) {
            Map<JsonNode, Integer> records = emitted.getOrDefault(corp, Map.of());
            Set<JsonNode> missing = new LinkedHashSet<>(expected);
            missing.removeAll(records.keySet());
            Set<JsonNode> extra = new HashSet<>(records.keySet());
            extra.removeAll(truth);
            assertThat(missing).as("records of %s no replica emitted (of %d)", corp, expected.size()).isEmpty();
            assertThat(extra).as("records emitted for %s that are not in the ground truth", corp).isEmpty();
            long repeated = records.values().stream().mapToLong(n -> n - 1).sum();
            if (repeated > 0) {
                repeats.put(corp, repeated);
            }
        }
        System.out.printf("CorpReplicasTest figures: %d corps x %d records; balanced after %d ms as %s; %s polled %s "
                          + "and emitted %s; taken over %d ms after the SIGKILL as %s; repeated records by corp %s; "
                          + "%d ms in all%n",
                CORPS, expected.size(), (balancedAt - startedAt) / 1_000_000, counts(balanced), victim.emitter,
                victimCorps, fromVictim, (takenOverAt - killedAt) / 1_000_000, counts(takenOver), repeats,
                (System.nanoTime() - startedAt) / 1_000_000);
        assertThat(repeats.keySet()).as("corps with records emitted twice: only the killed replica's")
                .isSubsetOf(victimCorps);
        assertThat(repeats.values()).as("records emitted twice per corp: at most the killed replica's last batch")
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LIMIT));
    }

    /** Each member's corps, as {@link CorpRoutes#ownerOf} shares them out with the replicas' settings. */
    private static Map<String, List<String>> owners(Set<String> corps, List<String> members) {
        Map<String, List<String>> owned = new TreeMap<>();
        members.forEach(m -> owned.put(m, new ArrayList<>()));
        CorpRoutes shares = new CorpRoutes();
        corps.forEach(corp -> owned.get(shares.ownerOf(corp, members)).add(corp));
        return owned;
    }

    /**
     * Waits until each of the live {@code replicas} has routes for exactly the corps it owns among them and polls
     * them all, and no other replica polls any corp, and returns who polls what.
     */
    private Map<String, List<String>> awaitSpread(List<Child> replicas, Set<String> allCorps, String what) {
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

    private static void awaitUntil(Callable<Boolean> condition, List<Child> replicas, Supplier<String> what) {
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

    private static Map<String, Integer> counts(Map<String, List<String>> spread) {
        Map<String, Integer> counts = new TreeMap<>();
        spread.forEach((replica, corps) -> counts.put(replica, corps.size()));
        return counts;
    }
}
