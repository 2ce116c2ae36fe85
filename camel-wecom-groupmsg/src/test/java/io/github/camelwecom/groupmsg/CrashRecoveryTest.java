package io.github.camelwecom.groupmsg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.ExportProcess.Child;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.camelwecom.groupmsg.ExportProcess.ENDPOINT;
import static io.github.camelwecom.groupmsg.ExportProcess.LIMIT;
import static io.github.camelwecom.groupmsg.ExportProcess.MID_BATCH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded export in a JVM of its own, killed with SIGKILL at 10 %, 40 % and 75 % of the records and started again
 * each time on the same FileStateRepository file until it finishes: together the runs emit every record of the ground
 * truth, and each restart repeats at most one batch (one page, {@code limit} records) of what the killed JVM had
 * already emitted.
 */
class CrashRecoveryTest {

    static final String CORP_ID = "ww-crash-corp";
    static final String CORP_SECRET = "crash-test-secret-0123456789";
    /** Where the JVMs are killed: shares of the expected records that have appeared in the output files. */
    static final int[] KILL_AT_PERCENT = { 10, 40, 75 };

    /** About 20,000 send results, so that with 3 ms per answer one export takes a few seconds. */
    static DataSet data;
    static WecomSimulator simulator;

    @TempDir
    Path dir;

    @RegisterExtension
    final ExportProcess.Children children = new ExportProcess.Children();

    @BeforeAll
    static void startSimulator() {
        data = DataSet.generate(DataSetSpec.withResults(20_000));
        simulator = WecomSimulator.builder().port(0).dataSet(data).credentials(CORP_ID, CORP_SECRET)
                .latency(Duration.ofMillis(3)).build().start();
    }

    @AfterAll
    static void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void killedExportResumesFromItsFileStateWithAtMostOnePageRepeatedPerCrash() throws Exception {
        List<JsonNode> expected = ExportProcess.expectedRecords(data);
        assertThat(expected).hasSizeGreaterThan(10_000);
        Set<JsonNode> expectedSet = new HashSet<>(expected);
        assertThat(expectedSet).as("ground truth records are distinct").hasSameSizeAs(expected);
        Path state = dir.resolve("wecom-state.dat");
        List<String> args = List.of("--base-url", simulator.baseUrl(), "--corp-id", CORP_ID, "--corp-secret",
                CORP_SECRET, "--endpoint", ENDPOINT, "--state", state.toString(), "--max-seconds", "300");

        Set<JsonNode> emitted = new HashSet<>();
        long total = 0;
        int crashes = 0;
        List<String> figures = new ArrayList<>();
        for (int run = 1;; run++) {
            boolean crash = crashes < KILL_AT_PERCENT.length;
            List<String> runArgs = new ArrayList<>(args);
            long holdAt = 0;
            if (crash) {
                // a run starts at a checkpoint and checkpoints after each batch of LIMIT records: held MID_BATCH
                // records past a multiple of LIMIT, it has emitted records that no checkpoint covers yet
                long killAt = expected.size() * (long) KILL_AT_PERCENT[crashes] / 100;
                holdAt = Math.max(0, killAt - emitted.size()) / LIMIT * LIMIT + MID_BATCH;
                runArgs.addAll(List.of("--hold-at", String.valueOf(holdAt)));
            }
            Child child = children.start(dir, "run-" + run, runArgs);
            if (crash) {
                child.awaitHeld(holdAt);
                child.kill();
                crashes++;
            } else {
                assertThat(child.process.waitFor(5, TimeUnit.MINUTES))
                        .as("last run finished%n%s", child.logTail()).isTrue();
                assertThat(child.process.exitValue()).as("last run's exit code%n%s", child.logTail()).isZero();
            }
            child.output.refresh();
            List<JsonNode> records = child.output.records;
            int repeated = 0;
            for (JsonNode record : records) {
                if (!emitted.add(record)) {
                    repeated++;
                }
            }
            total += records.size();
            figures.add(String.format("run %d: %s after %d records (%d in all so far), %d of them repeats",
                    run, child.process.exitValue() == 0 ? "finished" : "killed", records.size(), emitted.size(),
                    repeated));
            // a restart repeats at most the batch that was in flight when the JVM before it was killed
            assertThat(repeated).as("records run %d emitted again%n%s", run, String.join("\n", figures))
                    .isLessThanOrEqualTo(run == 1 ? 0 : LIMIT);
            if (child.process.exitValue() == 0) {
                break;
            }
        }

        long repeats = total - emitted.size();
        long bound = (long) crashes * LIMIT;
        figures.forEach(line -> System.out.println("CrashRecoveryTest " + line));
        System.out.printf("CrashRecoveryTest figures: crashes=%d (each mid-batch) records=%d emitted=%d repeats=%d "
                          + "bound=%d%n", crashes, expected.size(), total, repeats, bound);

        assertThat(crashes).isEqualTo(KILL_AT_PERCENT.length);
        Set<JsonNode> missing = new LinkedHashSet<>(expected);
        missing.removeAll(emitted);
        Set<JsonNode> extra = new HashSet<>(emitted);
        extra.removeAll(expectedSet);
        assertThat(missing).as("records never emitted (of %d)", expected.size()).isEmpty();
        assertThat(extra).as("records emitted that are not in the ground truth").isEmpty();
        assertThat(repeats).as("records emitted more than once").isLessThanOrEqualTo(bound);
        // records a killed run emitted after its last checkpoint must come again: resuming past them would be a
        // checkpoint that ran ahead of the route
        assertThat(repeats).as("repeats after %d kills in the middle of a batch", crashes)
                .isEqualTo((long) crashes * MID_BATCH);
    }
}
