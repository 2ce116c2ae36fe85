package io.github.camelwecom.groupmsg.example.jbang;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.camelwecom.groupmsg.TimeSpec;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The offline run of README.md ({@code mvn exec:java}: {@code KameletMain} with this directory's application.properties
 * and log4j2.properties, downloads off) as a child JVM, with a distinctive secret, and its whole output (stdout and
 * stderr, every logger the example's logging configures): every record of the range, the secret nowhere, no ERROR line.
 */
class OfflineRunTest {

    private static final String SECRET = "Jbang-Test-Secret-7f3a91";
    private static final String START = "2025-09-01";
    private static final String END = "2025-12-31T23:59:59";

    @Test
    void theRouteFileWithTheSecretInTheEnvironment() throws Exception {
        run(Path.of("wecom-export.camel.yaml"), List.of(), true);
    }

    /** A value given on the command line ({@code -D}, or {@code --prop} under camel run) is masked as well. */
    @Test
    void theRouteFileWithTheSecretAsASystemProperty() throws Exception {
        run(Path.of("wecom-export.camel.yaml"), List.of("-Dwecom.corp-secret=" + SECRET), false);
    }

    /** The Kamelet of the component's jar, its corpSecret property set from the same placeholder. */
    @Test
    void aRouteFromTheKamelet(@TempDir Path dir) throws Exception {
        Path route = dir.resolve("from-kamelet.camel.yaml");
        Files.writeString(route, """
                - route:
                    id: wecom-kamelet
                    from:
                      uri: "kamelet:wecom-groupmsg-source"
                      parameters:
                        api: result
                        corpId: "{{wecom.corp-id}}"
                        corpSecret: "{{wecom.corp-secret}}"
                        baseUrl: "{{wecom.base-url}}"
                        startTime: "{{wecom.start-time}}"
                        endTime: "{{wecom.end-time}}"
                      steps:
                        - log:
                            logName: wecom.export
                            message: "${body}"
                """);
        run(route, List.of(), true);
    }

    private static void run(Path route, List<String> jvmOptions, boolean secretInEnvironment) throws Exception {
        DataSet data = DataSet.generate(DataSetSpec.small());
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        long expected = data.groundTruth().countResults("single", TimeSpec.parse(START, shanghai, null),
                TimeSpec.parse(END, shanghai, null), null, 2);
        try (WecomSimulator simulator = WecomSimulator.builder().dataSet(data)
                .credentials("ww-jbang-test", SECRET).build().start()) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dcamel.main.routesIncludePattern=file:" + route.toAbsolutePath(),
                    "-Dlog4j2.configurationFile=" + Path.of("log4j2.properties").toAbsolutePath()));
            command.addAll(jvmOptions);
            // this directory first, for its application.properties, as the exec:java configuration has it
            command.addAll(List.of("-cp", Path.of("").toAbsolutePath() + java.io.File.pathSeparator
                    + System.getProperty("java.class.path"), "org.apache.camel.main.KameletMain", "-download",
                    "false"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("WECOM_BASE_URL", simulator.baseUrl());
            env.put("WECOM_CORP_ID", "ww-jbang-test");
            env.put("WECOM_START_TIME", START);
            env.put("WECOM_END_TIME", END);
            env.remove("WECOM_CORP_SECRET");
            if (secretInEnvironment) {
                env.put("WECOM_CORP_SECRET", SECRET);
            }
            String output = runUntil(builder, expected);

            assertThat(records(output)).isEqualTo(expected).isPositive();
            assertThat(output).contains("Property-placeholders summary").contains("wecom.corp-secret = xxxxxx")
                    .doesNotContain(SECRET).doesNotContain(" ERROR ");
        }
    }

    /** Runs the child until it has logged {@code expected} records, then stops it; returns all it printed. */
    private static String runUntil(ProcessBuilder builder, long expected) throws Exception {
        Process process = builder.start();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output));
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> records(output.toString()) >= expected
                    || !process.isAlive());
        } finally {
            process.destroy();
            process.waitFor();
            reader.join();
        }
        return output.toString();
    }

    private static long records(String output) {
        return output.lines().filter(line -> line.contains("[export] {")).count();
    }

    private static void copy(InputStream in, StringBuffer out) {
        try (in) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0;) {
                out.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            out.append("(output not read: ").append(e).append(')');
        }
    }
}
