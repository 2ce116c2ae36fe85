package io.github.camelwecom.groupmsg.example;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs routes/export.yaml with Camel Main through {@link DemoMain}, as the demo does, against a simulator with the
 * small data set, and reads what the route hands on: one JSON document per record, equal to the simulator's ground
 * truth and named as in the contract.
 */
class ExportRouteTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The route's default range, 2025-09-01 .. 2025-12-31T23:59:59 in Asia/Shanghai. */
    private static final long START = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
    private static final long END = LocalDate.parse("2026-01-01").atStartOfDay(ZONE).toEpochSecond() - 1;

    private static final Map<String, Set<String>> CONTRACT_FIELDS = Map.of(
            "list", Set.of("msgid", "creator", "create_time", "create_type", "text", "attachments"),
            "task", Set.of("msgid", "userid", "status", "send_time"),
            "result", Set.of("msgid", "external_userid", "chat_id", "userid", "status", "send_time"));
    private static final Map<String, Set<String>> ALWAYS_THERE = Map.of(
            "list", Set.of("msgid", "create_time", "create_type"),
            "task", Set.of("msgid", "userid", "status"),
            "result", Set.of("msgid", "userid", "status"));

    @Test
    void withoutCredentialsTheEmbeddedSimulatorIsExportedCompletely() throws Exception {
        GroundTruth truth = DataSet.generate(DataSetSpec.small()).groundTruth();
        ExportedRecords records = new ExportedRecords();
        ByteArrayOutputStream summary = new ByteArrayOutputStream();

        int status = DemoMain.run(Map.of("WECOM_SIMULATOR_DATASET", "small"), print(summary),
                Map.of("recordCollector", records));

        List<JsonNode> exported = records.json();
        assertThat(exported).hasSize((int) truth.countResults("single", START, END, null, 2));
        assertThat(exported).containsExactlyElementsOf(truth.results("single", START, END, null, 2).toList());
        assertContractFields("result", exported);
        assertThat(status).isZero();
        assertThat(text(summary)).contains("records exported: " + exported.size() + " in ")
                .contains("range read to its end: yes")
                .contains("simulator ground truth: " + exported.size() + " records -> export COMPLETE");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "list,group", "task,single", "result,group" })
    void withCredentialsTheGivenApiIsExportedAndTheSecretNeverPrinted(String api, String chatType) throws Exception {
        String secret = "Test-Only-Secret-4c1d9e";
        DataSet data = DataSet.generate(DataSetSpec.small());
        try (WecomSimulator wecom = WecomSimulator.builder().port(0).dataSet(data)
                .credentials("ww-example-test", secret).build().start()) {
            ExportedRecords records = new ExportedRecords();
            ByteArrayOutputStream summary = new ByteArrayOutputStream();

            int status = DemoMain.run(Map.of("WECOM_CORP_ID", "ww-example-test", "WECOM_CORP_SECRET", secret,
                    "WECOM_BASE_URL", wecom.baseUrl(), "WECOM_API", api, "WECOM_CHAT_TYPE", chatType),
                    print(summary), Map.of("recordCollector", records));

            List<JsonNode> exported = records.json();
            List<ObjectNode> expected = switch (api) {
                case "list" -> data.groundTruth().messages(chatType, START, END, null, 2).toList();
                case "task" -> data.groundTruth().tasks(chatType, START, END, null, 2).toList();
                default -> data.groundTruth().results(chatType, START, END, null, 2).toList();
            };
            assertThat(exported).isNotEmpty().containsExactlyElementsOf(expected);
            assertContractFields(api, exported);
            assertThat(status).isZero();
            assertThat(text(summary)).contains("api=" + api + " chatType=" + chatType)
                    .contains("records exported: " + expected.size() + " in ")
                    .contains("range read to its end: yes")
                    .doesNotContain("ground truth")
                    .doesNotContain(secret);
            assertThat(wecom.counters().tokensIssued()).isEqualTo(1);
        }
    }

    /** A wrong secret fails the first poll: the demo ends there, says so and exits 1, instead of running on. */
    @Test
    void aFailedPollEndsTheDemoWithExitOne() throws Exception {
        try (WecomSimulator wecom = WecomSimulator.builder().port(0).dataSet(DataSet.generate(DataSetSpec.small()))
                .credentials("ww-example-test", "the-right-secret").build().start()) {
            ByteArrayOutputStream summary = new ByteArrayOutputStream();

            int status = DemoMain.run(Map.of("WECOM_CORP_ID", "ww-example-test", "WECOM_CORP_SECRET", "a-wrong-one",
                    "WECOM_BASE_URL", wecom.baseUrl()), print(summary), Map.of());

            assertThat(status).isEqualTo(1);
            assertThat(text(summary)).contains("records exported: 0")
                    .contains("range read to its end: no: stopped after a failed poll");
        }
    }

    /**
     * With WECOM_END_TIME set but empty the demo follows: it exports what exists, keeps running, and exports a message
     * WeCom shows later (the simulator's now moves past its create_time), until the application is stopped.
     */
    @Test
    void anEmptyEndTimeFollowsNewRecordsUntilStopped() throws Exception {
        long now = Instant.now().getEpochSecond();
        // messages are created between 08:00 and 22:00 of their zone's day: days in a zone where it is now 15:00,
        // a message about every 15 s, so that one was created in the last minutes at any time of the real day
        ZoneOffset afternoon =
                ZoneOffset.ofTotalSeconds((int) (Math.floorMod(27 * 3600 - now, 86_400) / 60 * 60 - 43_200));
        LocalDate today = LocalDate.now(afternoon);
        DataSet data = DataSet.generate(DataSetSpec.builder().zone(afternoon).days(today.minusDays(1), today)
                .singleMessages(12_000).groupMessages(0).members(3).bigMembers(0).typicalCustomers(2)
                .maxChatsPerMember(1).build());
        long start = now - 3600;
        ObjectNode later = data.groundTruth().messages("single", now - 300, now - 30, null, 2).reduce((a, b) -> b)
                .orElseThrow();
        long createdLater = later.get("create_time").asLong();
        try (WecomSimulator wecom = WecomSimulator.builder().port(0).dataSet(data)
                .credentials("ww-example-test", "the-secret").now(Instant.ofEpochSecond(createdLater - 1)).build()
                .start()) {
            ExportedRecords records = new ExportedRecords();
            ByteArrayOutputStream summary = new ByteArrayOutputStream();
            CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> {
                try {
                    return DemoMain.run(Map.of("WECOM_CORP_ID", "ww-example-test", "WECOM_CORP_SECRET", "the-secret",
                            "WECOM_BASE_URL", wecom.baseUrl(), "WECOM_API", "list", "WECOM_START_TIME",
                            String.valueOf(start), "WECOM_END_TIME", "", "WECOM_POLL_DELAY", "1s"), print(summary),
                            Map.of("recordCollector", records));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long before = data.groundTruth().countMessages("single", start, createdLater - 1, null, 2);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> records.json().size() == before);

            wecom.setNow(Instant.ofEpochSecond(createdLater));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> records.json().contains(later));
            assertThat(demo).as("still following").isNotDone();
            // with any other message created in the same second
            long after = data.groundTruth().countMessages("single", start, createdLater, null, 2);
            assertThat(records.json()).hasSize((int) after);

            records.getCamelContext().stop();
            assertThat(demo.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(text(summary)).contains("range=" + start + " .. now, following")
                    .contains("followed until stopped: every record created up to ");
        }
    }

    private static void assertContractFields(String api, List<JsonNode> exported) {
        for (JsonNode record : exported) {
            List<String> names = new ArrayList<>();
            record.fieldNames().forEachRemaining(names::add);
            assertThat(names).as("fields of %s", record).isSubsetOf(CONTRACT_FIELDS.get(api))
                    .containsAll(ALWAYS_THERE.get(api));
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
