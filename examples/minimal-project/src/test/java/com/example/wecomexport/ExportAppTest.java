package com.example.wecomexport;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app as a user runs it, in a JVM of its own against the WeCom simulator: it ends by itself, and its file holds
 * every send result of November 2025 as WeCom has them.
 */
class ExportAppTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** Generous: CI runs this on busy 2-core machines. */
    private static final Duration EXIT_WITHIN = Duration.ofMinutes(3);

    @TempDir
    Path dir;
    private DataSet data;
    private WecomSimulator wecom;
    private Process child;

    @BeforeEach
    void startSimulator() {
        data = DataSet.generate(DataSetSpec.small());
        wecom = WecomSimulator.builder().dataSet(data).build().start();
    }

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        wecom.close();
    }

    @Test
    void exportsEverySendResultOfNovemberAndEnds() throws Exception {
        long start = LocalDate.parse("2025-11-01").atStartOfDay(SHANGHAI).toEpochSecond();
        long end = LocalDate.parse("2025-12-01").atStartOfDay(SHANGHAI).toEpochSecond() - 1;
        List<? extends JsonNode> expected = data.groundTruth().results("single", start, end, null, 2).toList();

        String output = runApp(WecomSimulator.DEFAULT_CORP_SECRET);

        assertThat(child.exitValue()).as(output).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> exported = new ArrayList<>();
        for (String line : lines(dir.resolve("send-results.jsonl"))) {
            exported.add(json.readTree(line));
        }
        assertThat(expected).isNotEmpty();
        assertThat(exported).containsExactlyElementsOf(expected);
        assertThat(output).doesNotContain(WecomSimulator.DEFAULT_CORP_SECRET);
    }

    @Test
    void aWrongSecretEndsItWithStatusOne() throws Exception {
        String output = runApp("not-the-secret");

        assertThat(child.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("40001").doesNotContain("not-the-secret");
    }

    /** Runs {@link ExportApp} with its settings in the environment, as the README says, until its JVM ends. */
    private String runApp(String secret) throws Exception {
        File out = dir.resolve("app.log").toFile();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlog4j2.configurationFile=log4j2.properties", "-cp", System.getProperty("java.class.path"), ExportApp.class.getName())
                .redirectErrorStream(true).redirectOutput(out);
        builder.environment().putAll(Map.of("WECOM_BASE_URL", wecom.baseUrl(), "WECOM_CORP_ID",
                WecomSimulator.DEFAULT_CORP_ID, "WECOM_CORP_SECRET", secret, "EXPORT_DIR", dir.toString()));
        child = builder.start();
        await().atMost(EXIT_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> !child.isAlive());
        return Files.readString(out.toPath(), StandardCharsets.UTF_8);
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList()
                : List.of();
    }
}
