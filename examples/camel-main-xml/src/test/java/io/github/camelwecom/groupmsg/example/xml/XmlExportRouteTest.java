package io.github.camelwecom.groupmsg.example.xml;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.example.DemoMain;
import io.github.camelwecom.groupmsg.example.ExportedRecords;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs routes/export.xml with Camel Main through {@link DemoMain}, as the demo does, against a simulator with the small
 * data set, and reads what the XML route hands on: one JSON document per record, equal to the simulator's ground truth.
 */
class XmlExportRouteTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The route's default range, 2025-09-01 .. 2025-12-31T23:59:59 in Asia/Shanghai. */
    private static final long START = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
    private static final long END = LocalDate.parse("2026-01-01").atStartOfDay(ZONE).toEpochSecond() - 1;
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());

    @Test
    void withoutCredentialsTheEmbeddedSimulatorIsExportedCompletely() throws Exception {
        ExportedRecords records = new ExportedRecords();
        ByteArrayOutputStream summary = new ByteArrayOutputStream();

        int status = DemoMain.run(Map.of("WECOM_SIMULATOR_DATASET", "small"), print(summary),
                Map.of("recordCollector", records));

        List<ObjectNode> expected = DATA.groundTruth().results("single", START, END, null, 2).toList();
        assertThat(expected).isNotEmpty();
        assertThat(records.json()).containsExactlyElementsOf(expected);
        assertThat(status).isZero();
        assertThat(text(summary)).contains("exporting from the embedded WeCom simulator")
                .contains("records exported: " + expected.size() + " in ")
                .contains("range read to its end: yes")
                .contains("simulator ground truth: " + expected.size() + " records -> export COMPLETE");
    }

    @Test
    void withCredentialsTheGivenApiAndRangeAreExportedAndTheSecretNeverPrinted() throws Exception {
        String api = "task";
        String chatType = "group";
        String secret = "Xml+Test&Secret=9f2e";
        try (WecomSimulator wecom = WecomSimulator.builder().port(0).dataSet(DATA)
                .credentials("ww-example-test", secret).build().start()) {
            ExportedRecords records = new ExportedRecords();
            ByteArrayOutputStream summary = new ByteArrayOutputStream();

            int status = DemoMain.run(Map.of("WECOM_CORP_ID", "ww-example-test", "WECOM_CORP_SECRET", secret,
                    "WECOM_BASE_URL", wecom.baseUrl(), "WECOM_API", api, "WECOM_CHAT_TYPE", chatType,
                    "WECOM_START_TIME", "2025-10-01", "WECOM_END_TIME", "2025-11-15T12:00:00"),
                    print(summary), Map.of("recordCollector", records));

            long start = LocalDate.parse("2025-10-01").atStartOfDay(ZONE).toEpochSecond();
            long end = LocalDate.parse("2025-11-15").atStartOfDay(ZONE).toEpochSecond() + 12 * 3600;
            List<ObjectNode> expected = DATA.groundTruth().tasks(chatType, start, end, null, 2).toList();
            assertThat(records.json()).isNotEmpty().containsExactlyElementsOf(expected);
            assertThat(status).isZero();
            assertThat(text(summary)).contains("api=" + api + " chatType=" + chatType)
                    .contains("records exported: " + expected.size() + " in ")
                    .contains("range read to its end: yes")
                    .doesNotContain("ground truth")
                    .doesNotContain(secret);
            assertThat(wecom.counters().tokensIssued()).isEqualTo(1);
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
