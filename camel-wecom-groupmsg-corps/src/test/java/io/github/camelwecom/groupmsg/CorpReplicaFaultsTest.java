package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.CorpReplicaProcess.Status;
import io.github.camelwecom.groupmsg.ExportProcess.Child;
import io.github.camelwecom.groupmsg.Replicas.Check;
import io.github.camelwecom.groupmsg.simulator.ApiCall;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static io.github.camelwecom.groupmsg.ExportProcess.LIMIT;
import static io.github.camelwecom.groupmsg.Replicas.PAUSE_AT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three replicas ({@link CorpReplicaProcess} JVMs) in follow mode where it breaks, on real servers: ZooKeeper
 * (Curator's TestingServer), PostgreSQL (the shared JdbcStateRepository) and the WeCom simulator, which answers
 * normally throughout, so that moves while replicas join are real and show in its call log. Six corps, two per replica,
 * each the same 683 records in the past, so a follow-mode pass reads them all up to now; each case checks every corp's
 * records against the ground truth and, from the simulator's call log ({@link Replicas#overlaps}), that no two routes
 * polled one corp at once. Each case has its own ZooKeeper path and state table.
 * <ul>
 * <li>a replica killed with SIGKILL after its corps' checkpoints were stored: the others resume them;</li>
 * <li>replicas cut off from ZooKeeper (a {@link TcpProxy} between each and the server) past their sessions: they stop
 * polling before their sessions can expire, a poll held through the cut has its checkpoint refused (fencing), the third
 * replica takes their corps over, and they take them back once they reach ZooKeeper again;</li>
 * <li>PostgreSQL stopped mid-batch and started again: no replica hands on more than the batch in progress while it is
 * down, and all go on by themselves once it is back.</li>
 * </ul>
 * Where a corp is when the fault comes is chosen by record ({@link Replicas#PAUSE_AT}), never by time.
 */
class CorpReplicaFaultsTest {

    /** Follow mode: no endTime, so each pass reads up to now; the data lies in the past. */
    static final String FOLLOW = "result?startTime=2025-09-01&limit=" + LIMIT;

    /** ZooKeeper sessions of the replicas ({@link CorpReplicaProcess#SESSION_TIMEOUT_MILLIS}). */
    static final Duration SESSION = Duration.ofMillis(CorpReplicaProcess.SESSION_TIMEOUT_MILLIS);
    /**
     * How soon after losing its connection a replica must stop polling: before its session can expire, and so before
     * another replica can lead its shards. Its client pings after a third of the session without traffic, so the server
     * may have last heard of it that long before the cut.
     */
    static final Duration STOP_WITHIN = SESSION.multipliedBy(2).dividedBy(3).minusMillis(300);

    static DataSet data;
    static List<JsonNode> expected;
    static List<String> corps;
    static WecomSimulator simulator;
    static TestingServer zookeeper;
    static Path postgresData;
    static int postgresPort;
    static EmbeddedPostgres postgres;

    /** Kept when a case fails: the replicas' logs and outputs are there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final ExportProcess.Children children = new ExportProcess.Children();

    @BeforeAll
    static void start(@TempDir Path classDir) throws Exception {
        data = DataSet.generate(DataSetSpec.withResults(600));
        expected = ExportProcess.expectedRecords(data);
        corps = Replicas.corpsOwnedEvenly(2);
        WecomSimulator.Builder builder = WecomSimulator.builder().port(0).dataSet(data)
                .latency(Duration.ofMillis(2));
        corps.forEach(corp -> builder.credentials(corp, CorpReplicaProcess.corpSecret(corp)));
        simulator = builder.build().start();
        // tick 500 ms: sessions of 1 to 10 s are allowed
        zookeeper = new TestingServer(new InstanceSpec(classDir.resolve("zookeeper").toFile(), -1, -1, -1, true, -1,
                500, -1), true);
        // a port and data directory of its own, so that the outage case can start it again where it was
        postgresData = classDir.resolve("postgres");
        try (ServerSocket socket = new ServerSocket(0)) {
            postgresPort = socket.getLocalPort();
        }
        startPostgres();
    }

    @AfterAll
    static void stop() throws Exception {
        Replicas.closeAll(simulator, zookeeper, postgres);
    }

    private static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(postgresData).setCleanDataDirectory(false)
                .setPort(postgresPort).start();
    }

    private static String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** What every replica of case {@code name} gets, ZooKeeper's address apart. */
    private static List<String> args(String name) {
        return new ArrayList<>(List.of("--base-url", simulator.baseUrl(), "--endpoint", FOLLOW,
                "--zookeeper-path", "/" + name, "--corp-ids", String.join(",", corps), "--max-seconds", "240",
                "--jdbc-url", jdbcUrl(), "--state-table", name));
    }

    @Test
    void aReplicaKilledAfterItsCheckpointsWereStoredHasItsCorpsResumedFromThem() throws Exception {
        List<String> args = args("killed");
        args.addAll(List.of("--zookeeper", zookeeper.getConnectString()));

        Replicas.Kill kill = Replicas.killOneReplica(children, dir, simulator, args, corps, expected, jdbcUrl(),
                "killed");

        System.out.printf("CorpReplicaFaultsTest kill figures: %d corps x %d records, follow mode; balanced after %d ms"
                + " as %s; %s emitted %s and had stored its checkpoints (writes %s) when killed; taken over "
                + "%d ms after the SIGKILL, complete after %d ms; repeated %s; missing %s; routes per corp "
                + "%s; overlapping polls %d%n",
                corps.size(), expected.size(), kill.balancedAfter(), Replicas.counts(kill.balanced()), kill.victim(),
                kill.fromVictim(), kill.versionsAtKill(), kill.takenOverAfter(), kill.completeAfter(),
                kill.check().repeats(), kill.check().missing(), kill.tenures(), kill.overlaps().size());
        assertThat(kill.check().missing()).as("records no replica emitted, per corp").isEmpty();
    }

    /**
     * Two replicas cut off from ZooKeeper past their sessions, each through a {@link TcpProxy}, while the third goes
     * on. The first one's corps run on when the cut comes: it must stop polling them before its session can expire, as
     * another replica may lead them from then on. The second one's corps wait in a poll (at a record) through the cut
     * until the third has taken them over and exported them to the end: that poll then ends, and its checkpoint must be
     * refused, as the new owner claimed it. Both take their corps back once they reach ZooKeeper again.
     */
    @Test
    void replicasCutOffFromZooKeeperHandTheirCorpsOverAndTakeThemBackOnceTheyReachItAgain() throws Exception {
        simulator.counters().reset();
        Map<String, List<String>> owners = Replicas.owners(corps, Replicas.NAMES);
        String freeName = Replicas.NAMES.get(0);
        String heldName = Replicas.NAMES.get(2);
        try (TcpProxy freeProxy = new TcpProxy(zookeeper.getPort());
                TcpProxy heldProxy = new TcpProxy(zookeeper.getPort())) {
            List<Child> replicas = new ArrayList<>();
            for (String name : Replicas.NAMES) {
                List<String> args = args("cut");
                TcpProxy proxy = name.equals(freeName) ? freeProxy : name.equals(heldName) ? heldProxy : null;
                args.addAll(List.of("--zookeeper", proxy == null ? zookeeper.getConnectString()
                        : "127.0.0.1:" + proxy.port(), "--pause-at-record", expected.get(PAUSE_AT).toString()));
                if (proxy != null) {
                    // their corps wait mid-batch, so that the cut comes in the middle of their exports
                    args.addAll(List.of("--pause-corps", String.join(",", owners.get(name))));
                }
                replicas.add(children.start(dir, name, CorpReplicaProcess.class, args));
            }
            Child free = replicas.get(0);
            Child other = replicas.get(1);
            Child held = replicas.get(2);
            List<Child> cut = List.of(free, held);
            Replicas.awaitSpread(replicas, corps, "every corp polled by the one of 3 replicas that owns it");
            Replicas.awaitUntil(() -> cut.stream().allMatch(r -> Status.read(r.output.file).paused()
                    .equals(owners.get(r.emitter))), replicas, () -> "the corps of " + cut + " wait at record "
                            + PAUSE_AT);
            other.resume();

            long cutAt = System.nanoTime();
            freeProxy.cut();
            heldProxy.cut();
            free.resume();
            Replicas.awaitSpread(List.of(other), corps, other.emitter + " polls every corp while the others are cut");
            // the held routes are still stopping: their poll waits
            Replicas.awaitUntil(() -> Status.read(free.output.file).leads().isEmpty(), replicas,
                    () -> freeName + ", cut off, polls no corp");
            long takenOverAt = System.nanoTime();
            Replicas.awaitComplete(replicas, replicas, corps, expected);
            long lastWhileCut = simulator.counters().callLog().stream()
                    .filter(c -> c.caller() != null && c.caller().startsWith(freeName + "/"))
                    .mapToLong(ApiCall::startNanos).filter(t -> t >= cutAt).max().orElse(cutAt);
            assertThat(Duration.ofNanos(lastWhileCut - cutAt))
                    .as("%s's last call after the cut: before its session could expire", freeName)
                    .isLessThan(STOP_WITHIN);
            // the held poll ends now, long after its corps moved: its checkpoint comes too late
            held.resume();
            Replicas.awaitUntil(() -> Status.read(held.output.file).owns().isEmpty(), replicas,
                    () -> heldName + "'s held routes are gone");
            freeProxy.restore();
            heldProxy.restore();
            long restoredAt = System.nanoTime();
            Replicas.awaitSpread(replicas, corps, "the replicas cut off poll their corps again");
            long backAt = System.nanoTime();
            Replicas.awaitComplete(replicas, replicas, corps, expected);
            Replicas.awaitNothingMore(replicas, "no record after every corp is complete");

            List<ApiCall> log = simulator.counters().callLog();
            List<Replicas.Overlap> overlaps = Replicas.overlaps(log);
            Map<String, Long> firstAfterCut = new TreeMap<>();
            log.stream().filter(c -> c.caller() != null && c.caller().startsWith(other.emitter + "/")
                    && !owners.get(other.emitter).contains(c.corp()) && c.startNanos() >= cutAt)
                    .forEach(c -> firstAfterCut.merge(c.corp(), (c.startNanos() - cutAt) / 1_000_000, Math::min));
            Map<String, Boolean> refused = new TreeMap<>();
            owners.get(heldName).forEach(corp -> refused.put(corp, held.logContains("Route "
                    + CorpReplicaProcess.TEMPLATE + "-" + corp + " of corp " + corp + " is stopped: ")));
            Check check = Check.of(corps, expected, Replicas.emitted(replicas));
            Map<String, Integer> tenures = new TreeMap<>();
            Replicas.tenures(log).forEach((corp, list) -> tenures.put(corp, list.size()));
            System.out.printf("CorpReplicaFaultsTest cut figures: %s and %s cut off for %d ms; %s's last call %s "
                    + "after the cut; %s's first calls of their corps after %s ms, all corps its after %d "
                    + "ms; %s's late checkpoints refused %s; back %d ms after ZooKeeper was reachable again; "
                    + "%d connections refused meanwhile; repeated %s; missing %s; routes per corp %s; "
                    + "overlapping polls %d %s%n",
                    freeName, heldName, (restoredAt - cutAt) / 1_000_000, freeName,
                    lastWhileCut == cutAt ? "(none)" : (lastWhileCut - cutAt) / 1_000_000 + " ms",
                    other.emitter, firstAfterCut, (takenOverAt - cutAt) / 1_000_000, heldName, refused,
                    (backAt - restoredAt) / 1_000_000, freeProxy.refused() + heldProxy.refused(), check.repeats(),
                    check.missing(), tenures, overlaps.size(), Replicas.describe(overlaps));
            assertThat(refused).as("%s's checkpoints after its corps moved: refused, its routes stopped", heldName)
                    .allSatisfy((corp, stopped) -> assertThat(stopped).as(corp).isTrue());
            assertThat(overlaps).as("routes that polled a corp at once: %s", Replicas.describe(overlaps)).isEmpty();
            assertThat(check.missing()).as("records no replica emitted, per corp").isEmpty();
            assertThat(check.extra()).as("records not in the ground truth").isEmpty();
            assertThat(check.repeats().values()).as("records emitted twice per corp: the held poll's at most")
                    .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LIMIT));
        }
    }

    @Test
    void aStateDatabaseOutageHoldsEveryReplicaToTheBatchInProgressAndTheyGoOnByThemselves() throws Exception {
        simulator.counters().reset();
        Map<String, List<String>> owners = Replicas.owners(corps, Replicas.NAMES);
        List<Child> replicas = new ArrayList<>();
        for (String name : Replicas.NAMES) {
            List<String> args = args("outage");
            // every corp waits mid-batch in the replica that owns it
            args.addAll(List.of("--zookeeper", zookeeper.getConnectString(), "--pause-at-record",
                    expected.get(PAUSE_AT).toString(), "--pause-corps", String.join(",", owners.get(name))));
            replicas.add(children.start(dir, name, CorpReplicaProcess.class, args));
        }
        Replicas.awaitSpread(replicas, corps, "every corp polled by the one of 3 replicas that owns it");
        Replicas.awaitUntil(() -> replicas.stream().allMatch(r -> Status.read(r.output.file).paused()
                .equals(owners.get(r.emitter))), replicas,
                () -> "every corp waits at record " + PAUSE_AT + " in its replica");

        postgres.close();
        long stoppedAt = System.nanoTime();
        for (Child replica : replicas) {
            replica.resume();
        }
        Replicas.awaitUntil(() -> corps.stream().allMatch(corp -> replicas.stream().anyMatch(r -> r.logContains(
                "Route " + CorpReplicaProcess.TEMPLATE + "-" + corp + " hands on no more records"))), replicas,
                () -> "every corp's route says it hands on nothing more");
        // the outage lasts this long at least: no record for 5 s while every poll fails
        Replicas.awaitNothingMore(replicas, Duration.ofSeconds(5), "no record while the state database is down");
        Map<String, Integer> whileDown = distinct(replicas);
        startPostgres();
        long startedAt = System.nanoTime();
        Replicas.awaitComplete(replicas, replicas, corps, expected);
        long completeAt = System.nanoTime();
        Replicas.awaitNothingMore(replicas, "no record after every corp is complete");

        Check check = Check.of(corps, expected, Replicas.emitted(replicas));
        List<Replicas.Overlap> overlaps = Replicas.overlaps(simulator.counters().callLog());
        Map<String, Long> recovered = new TreeMap<>();
        for (String corp : corps) {
            recovered.put(corp, replicas.stream().mapToLong(r -> r.logCount(
                    "Route " + CorpReplicaProcess.TEMPLATE + "-" + corp + " stored its checkpoint after")).sum());
        }
        long stopped = replicas.stream().mapToLong(r -> r.logCount(" is stopped: ")).sum();
        System.out.printf("CorpReplicaFaultsTest outage figures: PostgreSQL down for %d ms with every corp mid-batch "
                + "at record %d; records per corp while down %s (at most %d); complete %d ms after it was "
                + "back; recoveries logged per corp %s; routes stopped %d; repeated %s; missing %s; "
                + "overlapping polls %d%n",
                (startedAt - stoppedAt) / 1_000_000, PAUSE_AT, whileDown, PAUSE_AT + LIMIT,
                (completeAt - startedAt) / 1_000_000, recovered, stopped, check.repeats(), check.missing(),
                overlaps.size());
        assertThat(whileDown.values()).as("records per corp while the database is down: up to the end of the batch "
                + "in progress, whose checkpoint could not be stored")
                .allSatisfy(n -> assertThat(n).isBetween(PAUSE_AT + 1, PAUSE_AT + LIMIT));
        assertThat(recovered.values()).as("routes that stored their checkpoint once the database was back, per corp")
                .allSatisfy(n -> assertThat(n).isPositive());
        assertThat(stopped).as("routes stopped: the replicas recover without one").isZero();
        assertThat(check.missing()).as("records no replica emitted, per corp").isEmpty();
        assertThat(check.extra()).as("records not in the ground truth").isEmpty();
        assertThat(check.repeats().values()).as("records emitted twice per corp")
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LIMIT));
        assertThat(overlaps).as("routes that polled a corp at once: %s", Replicas.describe(overlaps)).isEmpty();
    }

    /** Distinct records per corp, all replicas together. */
    private static Map<String, Integer> distinct(List<Child> replicas) {
        return Replicas.emitted(replicas).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().size(), (a, b) -> a, TreeMap::new));
    }
}
