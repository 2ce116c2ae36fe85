package io.github.camelwecom.groupmsg.example.jbang;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route file with {@code wecom.shutdown-when-done=true} and an end time, under {@link JBangRouteApp} (KameletMain,
 * a JVM of its own): the JVM ends by itself with status 0 once the range was read to its end.
 */
class JBangShutdownWhenDoneTest {

    @TempDir
    Path dir;

    @Test
    void aBoundedRunEndsWithStatusZero() throws Exception {
        try (WecomSimulator simulator = WecomSimulator.builder().port(0)
                .dataSet(DataSet.generate(DataSetSpec.small())).build().start()) {
            File out = dir.resolve("out.log").toFile();
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-Dlog4j2.configurationFile=child-log4j2.properties",
                    "-Droute.file=" + Path.of("wecom-export.camel.yaml").toAbsolutePath(),
                    "-Dwecom.base-url=" + simulator.baseUrl(), "-Dwecom.corp-id=" + WecomSimulator.DEFAULT_CORP_ID,
                    "-Dwecom.start-time=2025-11-01", "-Dwecom.end-time=2025-11-30T23:59:59",
                    "-Dwecom.shutdown-when-done=true",
                    "-cp", System.getProperty("java.class.path"), JBangRouteApp.class.getName()))
                    .redirectErrorStream(true).redirectOutput(out);
            // the secret from the environment, not the command line
            builder.environment().put("WECOM_CORP_SECRET", WecomSimulator.DEFAULT_CORP_SECRET);
            Process child = builder.start();
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !child.isAlive());
            } finally {
                child.destroyForcibly();
            }
            String output = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("read its range to the end; stopping Camel, then exiting with status 0");
        }
    }
}
