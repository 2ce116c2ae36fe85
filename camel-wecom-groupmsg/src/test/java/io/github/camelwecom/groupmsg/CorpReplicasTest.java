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
 * Corps spread over three replicas, each a JVM of its own ({@link CorpReplicaProcess}): 30 corps, one route each under
 * {@code master:}, rebalanced by Camel's RebalancingCamelClusterService over ZooKeeper (Curator's in-process
 * TestingServer) through {@link io.github.camelwecom.groupmsg.corps.PreemptiveClusterService}, with one shared state
 * directory. Each corp is polled by exactly one replica, each replica polls 10 ± 1; one replica is killed with SIGKILL
 * in the middle of its corps' exports and the two others take them over from the checkpoints, 15 ± 1 each. Every
 * corp sees the same data set, so each corp's records, all replicas together, are the ground truth; a record comes
 * twice only from a batch the killed replica had not finished.
 * <p>
 * WeCom (the simulator) answers "system busy" until the corps are balanced, so that moves while replicas join emit
 * nothing; the killed replica holds after {@link #HOLD_AT} records, fewer than one corp has, so that every corp it
 * polls is cut, however fast the machine.
 */
class CorpReplicasTest {

    static final int CORPS = 30;
    static final int REPLICAS = 3;
    /** Records the killed replica writes, over all its corps, before it holds: less than one corp's export. */
    static final int HOLD_AT = 2 * LIMIT + MID_BATCH;

    static DataSet data;
    static WecomSimulator simulator;
    static TestingServer zookeeper;

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
    }

    @AfterAll
    static void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void corpsAreSpreadAndAKilledReplicasCorpsAreTakenOver() throws Exception {
        List<JsonNode> expected = ExportProcess.expectedRecords(data);
        assertThat(expected).as("one corp's records").hasSizeGreaterThan(HOLD_AT + LIMIT);
        Set<String> allCorps = IntStream.range(0, CORPS).mapToObj(CorpReplicaProcess::corpId)
                .collect(Collectors.toCollection(TreeSet::new));
        long startedAt = System.nanoTime();

        simulator.faults().probability(Fault.SYSTEM_BUSY, 1.0);
        List<Child> replicas = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            String name = "replica-" + (char) ('A' + i);
            List<String> args = new ArrayList<>(List.of("--base-url", simulator.baseUrl(), "--endpoint", ENDPOINT,
                    "--state-dir", dir.resolve("shared-state").toString(), "--zookeeper",
                    zookeeper.getConnectString(), "--corps", String.valueOf(CORPS), "--max-seconds", "300"));
            if (i == REPLICAS - 1) {
                args.addAll(List.of("--hold-at", String.valueOf(HOLD_AT)));
            }
            replicas.add(children.start(dir, name, CorpReplicaProcess.class, args));
        }
        Child victim = replicas.get(REPLICAS - 1);

        Map<String, List<String>> balanced = awaitSpread(replicas, allCorps, "every corp polled by one of 3 replicas, "
                                                                             + "each polling 10 ± 1");
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

        List<Child> survivors = replicas.subList(0, REPLICAS - 1);
        awaitSpread(survivors, allCorps, "every corp polled by one of the 2 survivors, each polling 15 ± 1");
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
                          + "and emitted %s; taken over %d ms after the SIGKILL; repeated records by corp %s; "
                          + "%d ms in all%n",
                CORPS, expected.size(), (balancedAt - startedAt) / 1_000_000, counts(balanced), victim.emitter,
                victimCorps, fromVictim, (takenOverAt - killedAt) / 1_000_000, repeats,
                (System.nanoTime() - startedAt) / 1_000_000);
        assertThat(repeats.keySet()).as("corps with records emitted twice: only the killed replica's")
                .isSubsetOf(victimCorps);
        assertThat(repeats.values()).as("records emitted twice per corp: at most the killed replica's last batch")
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LIMIT));
    }

    /**
     * Waits until the live {@code replicas} poll every corp, none twice, each replica about as many as the others
     * (within one), and returns who polls what.
     */
    private Map<String, List<String>> awaitSpread(List<Child> replicas, Set<String> allCorps, String what) {
        int quota = allCorps.size() / replicas.size();
        Map<String, List<String>> spread = new TreeMap<>();
        awaitUntil(() -> {
            spread.clear();
            List<String> polled = new ArrayList<>();
            for (Child replica : replicas) {
                List<String> leads = Status.read(replica.output.file).leads();
                spread.put(replica.emitter, leads);
                polled.addAll(leads);
            }
            return polled.size() == allCorps.size() && new TreeSet<>(polled).equals(allCorps)
                   && spread.values().stream().allMatch(l -> Math.abs(l.size() - quota) <= 1);
        }, replicas, () -> what + "; last seen " + spread);
        return new TreeMap<>(spread);
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
