package io.github.camelwecom.groupmsg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.ExportProcess.Child;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.camelwecom.groupmsg.SimulatorTestSupport.RANGE_END;
import static io.github.camelwecom.groupmsg.SimulatorTestSupport.RANGE_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * An export in a JVM of its own stopped at arbitrary moments, and started again on the same checkpoint until it is
 * done. The route is never held at a batch boundary: the test watches the output file grow and stops the JVM once it
 * passes a record count drawn from a seeded Random, whatever the export is doing then (reading ahead, processing a
 * batch, saving the checkpoint). Stopped with SIGKILL ({@code destroyForcibly}), or with SIGTERM ({@code destroy}), on
 * which the JVM stops its CamelContext in a shutdown hook as an application does and the consumer saves its checkpoint
 * as it stops. State in a {@code FileStateRepository} or in a
 * {@link io.github.camelwecom.groupmsg.state.JdbcStateRepository} on an H2 file database; list, task and result
 * exports, bounded (startTime..endTime in the past) and following (no endTime: the first pass reads to now, past all
 * the data, and a run is done once a pass that started after it started is complete).
 * <p>
 * After each restart: what it emitted continues the records emitted before without a gap (nothing missing), holds
 * nothing outside the ground truth, and repeats at most one batch ({@code limit} records) of what the stopped JVM had
 * emitted: the records it processed after its last checkpoint. Each run and each case prints a figures line.
 */
class RestartAtAnyMomentTest {

    static final String CORP_ID = "ww-restart-corp";
    static final String CORP_SECRET = "restart-test-secret-0123456789";
    /** Records a batch: the checkpoint is saved after each, so a restart repeats at most this many. */
    static final int LIMIT = 40;
    /** Where the stops fall; -DrestartTest.seed=... draws others. */
    static final long SEED = Long.getLong("restartTest.seed", 20_261_207L);
    static final String BOUNDED = "startTime=2025-09-01&endTime=2025-12-31T23:59:59";
    static final String FOLLOWING = "startTime=2025-09-01";
    static final String H2_OPTIONS = System.getProperty("restartTest.h2Options",
            ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");

    /** About 2,000 send results, members with up to ~70 customers: their results span pages of 40. */
    static DataSet results;
    /** 1,000 messages with 1,865 tasks, for the list and task exports. */
    static DataSet messages;
    static WecomSimulator resultSimulator;
    static WecomSimulator messageSimulator;

    @TempDir
    Path dir;

    @RegisterExtension
    final ExportProcess.Children children = new ExportProcess.Children();

    enum Stop {
        /** SIGKILL: no shutdown hook, nothing saved after the last batch. */
        KILL,
        /** SIGTERM: the shutdown hook stops the CamelContext, the consumer saves its checkpoint. */
        TERM
    }

    enum Store {
        FILE, JDBC
    }

    @BeforeAll
    static void startSimulators() {
        results = DataSet.generate(DataSetSpec.withResults(2000));
        messages = DataSet.generate(DataSetSpec.builder().singleMessages(1000).groupMessages(5).members(20)
                .bigMembers(0).typicalCustomers(2).maxChatsPerMember(1).build());
        resultSimulator = WecomSimulator.builder().port(0).dataSet(results).credentials(CORP_ID, CORP_SECRET).build()
                .start();
        messageSimulator = WecomSimulator.builder().port(0).dataSet(messages).credentials(CORP_ID, CORP_SECRET).build()
                .start();
    }

    @AfterAll
    static void stopSimulators() {
        if (resultSimulator != null) {
            resultSimulator.close();
        }
        if (messageSimulator != null) {
            messageSimulator.close();
        }
    }

    /** api, bounded or following, how it is stopped, state store, concurrency, stops before the run that ends it. */
    static Stream<Arguments> cases() {
        return Stream.of(
                // the report: result, bounded, limit=40&concurrency=4, both stores, both signals
                Arguments.of("result", "bounded", Stop.KILL, Store.FILE, 4, 2),
                Arguments.of("result", "bounded", Stop.KILL, Store.JDBC, 4, 2),
                Arguments.of("result", "bounded", Stop.TERM, Store.FILE, 4, 2),
                Arguments.of("result", "bounded", Stop.TERM, Store.JDBC, 1, 2),
                Arguments.of("result", "following", Stop.KILL, Store.JDBC, 4, 2),
                Arguments.of("task", "bounded", Stop.KILL, Store.FILE, 4, 2),
                Arguments.of("task", "following", Stop.TERM, Store.JDBC, 4, 2),
                Arguments.of("list", "following", Stop.KILL, Store.FILE, 1, 2));
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} concurrency={4}")
    @MethodSource("cases")
    void restartedAtAnyMomentMissesNothingAndRepeatsAtMostOneBatch(String api, String mode, Stop stop, Store store,
            int concurrency, int stops) throws Exception {
        boolean following = "following".equals(mode);
        String name = api + "-" + mode + "-" + stop + "-" + store + "-c" + concurrency;
        DataSet data = "result".equals(api) ? results : messages;
        WecomSimulator simulator = "result".equals(api) ? resultSimulator : messageSimulator;
        List<JsonNode> expected = expected(data.groundTruth(), api);
        Map<JsonNode, Integer> index = new HashMap<>();
        for (int i = 0; i < expected.size(); i++) {
            index.put(expected.get(i), i);
        }
        assertThat(index).as("ground truth records are distinct").hasSameSizeAs(expected);
        assertThat(expected).as("records of %s", name).hasSizeGreaterThanOrEqualTo(1000);

        List<String> args = new ArrayList<>(List.of("--base-url", simulator.baseUrl(), "--corp-id", CORP_ID,
                "--corp-secret", CORP_SECRET, "--endpoint", api + "?" + (following ? FOLLOWING : BOUNDED) + "&limit="
                        + LIMIT + "&concurrency=" + concurrency,
                "--follow", String.valueOf(following), "--max-seconds", "120"));
        if (store == Store.FILE) {
            args.addAll(List.of("--state", dir.resolve("wecom-state.dat").toString()));
        } else {
            // WRITE_DELAY=0: H2 writes each commit to its file at once; with its default (500 ms) a SIGKILL loses the
            // commits of the last half second, and a restart repeats what those checkpoints covered, hundreds of
            // records. DB_CLOSE_ON_EXIT=FALSE: the application closes its database (as examples/java-dsl does), not
            // H2's own shutdown hook, which could close it before the consumer saved its last checkpoint
            args.addAll(List.of("--jdbc-url", "jdbc:h2:file:" + dir.resolve("wecom-state").toAbsolutePath()
                    + H2_OPTIONS));
        }

        Random random = new Random(SEED * 31 + name.hashCode());
        int covered = 0; // records [0, covered) of the ground truth have been emitted
        long emitted = 0;
        int stopped = 0;
        List<Integer> repeatsPerRestart = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        for (int run = 1;; run++) {
            if (run > stops + 3) {
                fail("%s: not done after %d runs%n%s", name, run - 1, String.join("\n", runs));
            }
            boolean stopThis = stopped < stops;
            // a count anywhere in the first half of what is left: the JVM is stopped as soon as its output passes it
            int stopAfter = stopThis ? 1 + random.nextInt(Math.max(1, (expected.size() - covered) / 2)) : 0;
            Child child = children.start(dir, name + "-run-" + run, args);
            boolean signalled = false;
            if (stopThis) {
                awaitOutput(child, stopAfter);
                if (child.process.isAlive()) {
                    if (stop == Stop.KILL) {
                        child.kill();
                    } else {
                        child.terminate();
                    }
                    signalled = true;
                    stopped++;
                }
            }
            assertThat(child.process.waitFor(2, TimeUnit.MINUTES)).as("%s run %d ended%n%s", name, run,
                    child.logTail()).isTrue();
            int exit = child.process.exitValue();
            if (signalled && stop == Stop.TERM) {
                // 143: ended by SIGTERM, after its shutdown hook stopped the CamelContext
                assertThat(exit).as("%s run %d's exit code after SIGTERM%n%s", name, run, child.logTail())
                        .isEqualTo(143);
                assertThat(child.logContains(ExportProcess.STOPPED_BY_HOOK))
                        .as("%s run %d stopped gracefully%n%s", name, run, child.logTail()).isTrue();
            } else if (!signalled) {
                assertThat(exit).as("%s run %d's exit code%n%s", name, run, child.logTail()).isZero();
            }

            child.output.refresh();
            List<JsonNode> records = child.output.records;
            emitted += records.size();
            int first = records.isEmpty() ? covered : indexOf(index, records.get(0), name, run);
            for (int i = 0; i < records.size(); i++) {
                int at = indexOf(index, records.get(i), name, run);
                if (at != first + i) {
                    fail("%s run %d: its record %d is record #%d of the ground truth, expected #%d (each run emits "
                            + "a stretch of the ground truth in order)%n%s", name, run, i, at, first + i,
                            String.join("\n", runs));
                }
            }
            int repeats = Math.max(0, Math.min(records.size(), covered - first));
            int missing = Math.max(0, first - covered);
            covered = Math.max(covered, first + records.size());
            String line = String.format("%s run %d: %s, %d records (from #%d), %d repeats, %d missing, %d/%d "
                    + "covered", name, run,
                    signalled ? (stop == Stop.KILL ? "SIGKILL" : "SIGTERM") + " once past " + stopAfter
                            : "done (exit " + exit + ")",
                    records.size(), first, repeats, missing, covered, expected.size());
            runs.add(line);
            System.out.println("RestartAtAnyMomentTest " + line);
            if (run > 1) {
                repeatsPerRestart.add(repeats);
            }

            assertThat(missing).as("records skipped by %s run %d%n%s", name, run, String.join("\n", runs)).isZero();
            // a restart repeats at most the batch the JVM before it processed after its last checkpoint
            assertThat(repeats).as("records %s run %d emitted again%n%s", name, run, String.join("\n", runs))
                    .isLessThanOrEqualTo(run == 1 ? 0 : LIMIT);
            if (!signalled) {
                break; // it ended by itself: done (or, before its stop, finished too soon: the check below says so)
            }
        }

        long repeats = emitted - covered;
        System.out.printf("RestartAtAnyMomentTest figures: %s seed=%d: records=%d runs=%d stops=%d emitted=%d "
                + "repeats=%d (per restart %s) missing=%d%n", name, SEED, expected.size(),
                runs.size(), stopped, emitted, repeats, repeatsPerRestart, expected.size() - covered);
        assertThat(covered).as("records emitted of %s%n%s", name, String.join("\n", runs))
                .isEqualTo(expected.size());
        assertThat(stopped).as("stops of %s (a JVM that finished before its stop)%n%s", name,
                String.join("\n", runs)).isEqualTo(stops);
        assertThat(repeats).isLessThanOrEqualTo((long) stops * LIMIT);
    }

    /** Waits until the child's output holds at least {@code records}, or it ended (finished before). */
    private static void awaitOutput(Child child, int records) {
        try {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> !child.process.isAlive() || child.output.refresh() >= records);
        } catch (ConditionTimeoutException e) {
            fail(child.emitter + ": timed out waiting for " + records + " records\n" + child.logTail(), e);
        }
    }

    private static int indexOf(Map<JsonNode, Integer> index, JsonNode record, String name, int run) {
        Integer at = index.get(record);
        if (at == null) {
            fail("%s run %d emitted a record outside the ground truth: %s", name, run, record);
        }
        return at;
    }

    /** The single-chat records of the four months in the API's order: all the data, so also what following reads. */
    private static List<JsonNode> expected(GroundTruth truth, String api) {
        Stream<? extends JsonNode> records = switch (api) {
            case "list" -> truth.messages("single", RANGE_START, RANGE_END, null, 2);
            case "task" -> truth.tasks("single", RANGE_START, RANGE_END, null, 2);
            default -> truth.results("single", RANGE_START, RANGE_END, null, 2);
        };
        return records.map(ExportAssertions::json).toList();
    }
}
