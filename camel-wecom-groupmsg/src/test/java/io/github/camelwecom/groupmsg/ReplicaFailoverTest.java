package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.ExportProcess.Child;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two replicas of one route, each in a JVM of its own, under {@code master:} with a FileLockClusterService and one
 * shared FileStateRepository file: only the leader calls WeCom; when it is killed with SIGKILL halfway through a
 * bounded export, the other takes over, resumes from the checkpoint the dead leader wrote (not from the beginning)
 * and finishes. Together they emit every record of the ground truth, with at most one page repeated.
 * <p>
 * Each replica talks to its own simulator over the same data set (cursors do not depend on the simulator instance),
 * so each simulator's call counters are one replica's calls.
 */
class ReplicaFailoverTest {

    static final String CORP_ID = "ww-replica-corp";
    static final String CORP_SECRET = "replica-test-secret-0123456789";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final long RANGE_START = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
    static final long RANGE_END = LocalDate.parse("2026-01-01").atStartOfDay(ZONE).toEpochSecond() - 1;
    static final int LIMIT = 100;
    static final String ENDPOINT = "result?startTime=2025-09-01&endTime=2025-12-31T23:59:59&limit=" + LIMIT;
    /** A slow sink, so that writing a batch takes several ms and the kill can land in the middle of one. */
    static final int SINK_DELAY_MICROS = 50;

    static DataSet data;
    static WecomSimulator simulatorA;
    static WecomSimulator simulatorB;

    @TempDir
    Path dir;

    private final List<Child> children = new ArrayList<>();

    @BeforeAll
    static void startSimulators() {
        data = DataSet.generate(DataSetSpec.withResults(20_000));
        simulatorA = WecomSimulator.builder().port(0).dataSet(data).credentials(CORP_ID, CORP_SECRET)
                .latency(Duration.ofMillis(4)).build().start();
        simulatorB = WecomSimulator.builder().port(0).dataSet(data).credentials(CORP_ID, CORP_SECRET)
                .latency(Duration.ofMillis(4)).build().start();
    }

    @AfterAll
    static void stopSimulators() {
        if (simulatorA != null) {
            simulatorA.close();
        }
        if (simulatorB != null) {
            simulatorB.close();
        }
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Child child : children) {
            if (child.process.isAlive()) {
                child.kill();
            }
        }
    }

    @Test
    void standbyTakesOverFromTheKilledLeadersCheckpoint() throws Exception {
        List<JsonNode> expected = data.groundTruth().results("single", RANGE_START, RANGE_END, null, 2)
                .map(ExportAssertions::json).toList();
        assertThat(expected).hasSizeGreaterThan(10_000);
        Path state = dir.resolve("shared-state.dat");
        Path clusterRoot = dir.resolve("cluster");

        Child leader = start("replica-A", simulatorA, state, clusterRoot);
        await(leader, Duration.ofSeconds(40), () -> refresh(leader) > 0, "replica A emits (it is the only one)");
        Child standby = start("replica-B", simulatorB, state, clusterRoot);
        await(standby, Duration.ofSeconds(40), () -> standby.logContains("route started"),
                "replica B's route starts");
        // give B's cluster view a few lock attempts while A still leads, then kill A once it is well into the export
        // and halfway through a batch (records emitted that no checkpoint covers yet)
        long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        long killAt = expected.size() * 40L / 100;
        long midBatchDeadline = Long.MAX_VALUE;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        int seen;
        while ((seen = refresh(leader)) >= 0) {
            if (System.nanoTime() > deadline || !leader.process.isAlive()) {
                fail("replica A did not reach " + killAt + " records while alive\n" + leader.logTail());
            }
            if (seen >= killAt && System.nanoTime() > settle) {
                midBatchDeadline = Math.min(midBatchDeadline, System.nanoTime() + 1_000_000_000L);
                if (seen % LIMIT != 0 || System.nanoTime() > midBatchDeadline) {
                    break;
                }
            }
            Thread.sleep(1);
        }
        assertThat(seen).as("replica A killed before it finished").isLessThan(expected.size());
        assertThat(refresh(standby)).as("records emitted by the standby while A led").isZero();
        assertThat(simulatorB.counters().totalCalls()).as("WeCom calls by the standby while A led").isZero();
        long killedAtMillis = System.currentTimeMillis();
        leader.kill();
        // counted after the kill: the leader reads ahead while its route works, so calls go on up to the kill
        Thread.sleep(200);
        long callsByLeader = simulatorA.counters().totalCalls();
        assertThat(callsByLeader).isPositive();
        int leaderRecords = refresh(leader);

        assertThat(standby.process.waitFor(60, TimeUnit.SECONDS))
                .as("replica B finished the export within 60 s of the kill%n%s", standby.logTail()).isTrue();
        assertThat(standby.process.exitValue()).as("replica B's exit code%n%s", standby.logTail()).isZero();
        int standbyRecords = refresh(standby);
        assertThat(standbyRecords).as("records emitted by replica B%n%s", standby.logTail()).isPositive();
        assertThat(simulatorA.counters().totalCalls()).as("calls by the dead leader").isEqualTo(callsByLeader);

        Set<JsonNode> fromLeader = new HashSet<>(leader.output.records);
        Set<JsonNode> union = new HashSet<>(fromLeader);
        union.addAll(standby.output.records);
        long repeats = leaderRecords + standbyRecords - union.size();
        long failoverMillis = standby.output.emittedAt.get(0) - killedAtMillis;
        int resumedAt = expected.indexOf(standby.output.records.get(0));
        System.out.printf("ReplicaFailoverTest figures: records=%d leader emitted %d (%d WeCom calls) before SIGKILL, "
                          + "standby emitted %d resuming at record #%d, repeats=%d bound=%d, failover=%d ms "
                          + "(kill -> first record from the new leader)%n",
                expected.size(), leaderRecords, callsByLeader, standbyRecords, resumedAt, repeats, LIMIT,
                failoverMillis);

        Set<JsonNode> missing = new LinkedHashSet<>(expected);
        missing.removeAll(union);
        Set<JsonNode> extra = new HashSet<>(union);
        extra.removeAll(new HashSet<>(expected));
        assertThat(missing).as("records neither replica emitted (of %d)", expected.size()).isEmpty();
        assertThat(extra).as("records emitted that are not in the ground truth").isEmpty();
        // the standby read the checkpoint when it became leader, not when it started: had it kept what the file
        // held at its start, it would have begun near record 0 and repeated thousands
        assertThat(resumedAt).as("where the standby's export began").isGreaterThanOrEqualTo(leaderRecords - LIMIT);
        assertThat(repeats).as("records emitted by both replicas").isLessThanOrEqualTo(LIMIT);
    }

    private Child start(String name, WecomSimulator simulator, Path state, Path clusterRoot) throws Exception {
        Child child = ExportProcess.Child.start(dir, name, List.of("--base-url", simulator.baseUrl(), "--corp-id",
                CORP_ID, "--corp-secret", CORP_SECRET, "--endpoint", ENDPOINT, "--state", state.toString(),
                "--cluster-root", clusterRoot.toString(), "--namespace", "wecom-groupmsg-export",
                "--max-seconds", "90", "--sink-delay-micros", String.valueOf(SINK_DELAY_MICROS)));
        children.add(child);
        return child;
    }

    private static int refresh(Child child) {
        try {
            return child.output.refresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(Child child, Duration timeout, BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what + "\n" + child.logTail());
            }
            if (!child.process.isAlive()) {
                fail(child.emitter + " exited with " + child.process.exitValue() + " while waiting until " + what
                     + "\n" + child.logTail());
            }
            Thread.sleep(5);
        }
    }
}
