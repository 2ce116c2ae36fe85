package io.github.camelwecom.groupmsg.example.springboot;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app (web server included) in a JVM of its own, reading a bounded range from a simulator the test started, with
 * {@code camel.component.wecom-groupmsg.shutdown-when-done=true}: it ends by itself, with status 0 once both routes
 * read the range to its end, and 1 with a wrong secret.
 */
class ShutdownWhenDoneApplicationTest {

    private static WecomSimulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSimulator() {
        simulator = WecomSimulator.builder().port(0).dataSet(DataSet.generate(DataSetSpec.small())).build().start();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @Test
    void aBoundedRangeEndsTheAppWithStatusZero() throws Exception {
        String output = runUntilExit(WecomSimulator.DEFAULT_CORP_SECRET, 0);
        assertThat(output).contains("read its range to the end; stopping Camel, then exiting with status 0")
                .contains("send-results-single").contains("send-results-group");
    }

    @Test
    void aWrongSecretEndsTheAppWithStatusOne() throws Exception {
        String output = runUntilExit("wrong-secret", 1);
        assertThat(output).contains("errcode=40001").contains("exiting with status 1");
    }

    private String runUntilExit(String secret, int status) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), SendResultSyncApplication.class.getName(),
                "--server.port=0", "--wecom.corp-id=" + WecomSimulator.DEFAULT_CORP_ID,
                "--camel.component.wecom-groupmsg.base-url=" + simulator.baseUrl(),
                "--wecom.start-time=2025-11-01", "--wecom.end-time=2025-11-30T23:59:59",
                "--camel.component.wecom-groupmsg.shutdown-when-done=true"));
        File out = dir.resolve("out.log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out);
        // WECOM_CORP_SECRET sets wecom.corp-secret: with both credentials the app reads from the given baseUrl
        builder.environment().put("WECOM_CORP_SECRET", secret);
        Process child = builder.start();
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !child.isAlive());
        } finally {
            child.destroyForcibly();
        }
        String output = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(output).isEqualTo(status);
        return output;
    }
}
