package io.github.camelwecom.groupmsg;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code shutdownWhenDone=true} in a user's Camel Main application ({@link ShutdownWhenDoneApp}, a JVM of its own): the
 * JVM ends by itself, with status 0 once the README's range was read to its end (every record of the simulator's ground
 * truth processed, the checkpoint stored) and 1 when the export failed; a configuration error ends it too.
 */
class ShutdownWhenDoneTest {

    private static final String START = "2025-11-01";
    private static final String END = "2025-11-30T23:59:59";
    /** Generous: two busy cores start a JVM, Camel and the export. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(120);
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    private static WecomSimulator simulator;

    @TempDir
    Path dir;
    private final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void startSimulator() {
        simulator = WecomSimulator.builder().port(0).dataSet(DATA).build().start();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
        simulator.faults().clear();
    }

    @Test
    void aBoundedExportExitsZeroOnceTheRangeIsReadAndStoresItsCheckpoint() throws Exception {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        long expected = DATA.groundTruth().countResults("single", TimeSpec.parse(START, zone, null),
                TimeSpec.parse(END, zone, null), null, 2);

        Run first = run(WecomSimulator.DEFAULT_CORP_SECRET);
        assertThat(first.status()).as(first.output()).isZero();
        assertThat(first.output()).contains("complete: " + expected + " records")
                .contains("read its range to the end; stopping Camel, then exiting with status 0")
                .contains(ShutdownWhenDoneApp.RECORDS + expected);
        assertThat(expected).isPositive();

        // the checkpoint says the range is done: run again, the app reads nothing more and ends at once
        Run again = run(WecomSimulator.DEFAULT_CORP_SECRET);
        assertThat(again.status()).as(again.output()).isZero();
        assertThat(again.output()).contains(ShutdownWhenDoneApp.RECORDS + 0);
    }

    @Test
    void aRangeReadToItsEndButForAMemberWeComRefusedExitsOne() throws Exception {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        List<ObjectNode> truth = DATA.groundTruth().results("single", TimeSpec.parse(START, zone, null),
                TimeSpec.parse(END, zone, null), null, 2).toList();
        ObjectNode pick = truth.get(truth.size() / 2);
        simulator.faults().refuse(Api.RESULT, pick.get("msgid").asText(), pick.get("userid").asText(), 60011,
                "no privilege to access/modify contact/party/agent");

        Run run = run(WecomSimulator.DEFAULT_CORP_SECRET);
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("but for 1 messages or members WeCom refused")
                .contains("exiting with status 1");
    }

    @Test
    void aWrongSecretExitsOne() throws Exception {
        Run run = run("wrong-secret");
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).containsPattern("ERROR .* shutdownWhenDone: route \\S+ failed: a poll failed: .*40001")
                .contains("exiting with status 1");
    }

    @Test
    void anUnknownOptionEndsTheJvmWithAFailure() throws Exception {
        Run run = run(WecomSimulator.DEFAULT_CORP_SECRET, "-Dwecom.uri-suffix=&chatTyp=single");
        assertThat(run.status()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("chatTyp");
    }

    @Test
    void aBadStartTimeEndsTheJvmWithAFailure() throws Exception {
        Run run = run(WecomSimulator.DEFAULT_CORP_SECRET, "-Dwecom.start-time=2025-13-45");
        assertThat(run.status()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("startTime=2025-13-45");
    }

    private record Run(int status, String output) {
    }

    /** Runs the app until its JVM ends by itself; the test fails if it does not within {@link #EXIT_WITHIN}. */
    private Run run(String secret, String... properties) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dlog4j2.configurationFile=child-log4j2.properties",
                "-Dwecom.base-url=" + simulator.baseUrl(), "-Dwecom.state=" + dir.resolve("state.properties")));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ShutdownWhenDoneApp.class.getName()));
        File out = dir.resolve("out-" + children.size() + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out);
        // the credentials from the environment, as the component page advises: not on the command line
        builder.environment().putAll(Map.of("WECOM_CORP_ID", WecomSimulator.DEFAULT_CORP_ID,
                "WECOM_CORP_SECRET", secret));
        Process child = builder.start();
        children.add(child);
        await().atMost(EXIT_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> !child.isAlive());
        return new Run(child.exitValue(), read(out));
    }

    private static String read(File file) throws IOException {
        return Files.readString(file.toPath(), StandardCharsets.UTF_8);
    }
}
