package com.example.wecomexport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The app against the WeCom simulator: the file holds every send result of November 2025, as WeCom has them. */
class ExportAppTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void exportsEverySendResultOfNovember(@TempDir Path dir) throws Exception {
        DataSet data = DataSet.generate(DataSetSpec.small());
        long start = LocalDate.parse("2025-11-01").atStartOfDay(SHANGHAI).toEpochSecond();
        long end = LocalDate.parse("2025-12-01").atStartOfDay(SHANGHAI).toEpochSecond() - 1;
        List<? extends JsonNode> expected = data.groundTruth().results("single", start, end, null, 2).toList();
        Path file = dir.resolve("send-results.jsonl");
        try (WecomSimulator wecom = WecomSimulator.builder().dataSet(data).build().start()) {
            Main main = ExportApp.newMain();
            Properties settings = new Properties(); // over application.properties, as the environment would be
            settings.setProperty("wecom.base-url", wecom.baseUrl());
            settings.setProperty("wecom.corp-id", WecomSimulator.DEFAULT_CORP_ID);
            settings.setProperty("wecom.corp-secret", WecomSimulator.DEFAULT_CORP_SECRET);
            settings.setProperty("export.dir", dir.toString());
            main.setOverrideProperties(settings);
            main.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> lines(file).size() >= expected.size());
                // nothing more comes: the range was read once
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                        .until(() -> lines(file).size() == expected.size());
            } finally {
                main.stop();
            }
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> exported = new ArrayList<>();
        for (String line : lines(file)) {
            exported.add(json.readTree(line));
        }
        assertThat(expected).isNotEmpty();
        assertThat(exported).containsExactlyElementsOf(expected);
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList()
                : List.of();
    }
}
