package io.github.camelwecom.groupmsg.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * createTimeStep snaps create_times onto a grid (so tests can put records on window edges) and step 1 changes nothing.
 */
class CreateTimeStepTest {
    private static final long HOUR = 3600;

    @Test
    void withAnHourStepEveryServedMessageSitsOnAWholeHourOfItsDay() {
        DataSetSpec hourly = DataSetSpec.small().toBuilder().createTimeStep(HOUR).build();
        DataSet data = DataSet.generate(hourly);
        DataSet unsnapped = DataSet.generate(DataSetSpec.small());
        try (WecomSimulator sim = WecomSimulator.builder().dataSet(data).build().start()) {
            SimClient client = new SimClient(sim);
            String token = client.token();
            for (String type : List.of("single", "group")) {
                List<ObjectNode> served = listAll(client, token, type, data);
                assertThat(served).hasSize(data.messageCount(ChatType.fromWire(type)));
                assertThat(served)
                        .allSatisfy(m -> assertThat(sinceMidnight(m, hourly.zone()) % HOUR).as(m.toString()).isZero());
                assertThat(served.stream().map(m -> sinceMidnight(m, hourly.zone())).distinct().count())
                        .as("distinct hours of the day").isGreaterThan(3);
                // the same messages as without a step, each moved back by less than the step
                Map<String, Long> before = byMsgid(unsnapped.groundTruth().messages(type,
                        unsnapped.startEpochSecond(), unsnapped.endEpochSecond(), null, 2).toList());
                Map<String, Long> after = byMsgid(served);
                assertThat(after.keySet()).isEqualTo(before.keySet());
                after.forEach((msgid, t) -> assertThat(before.get(msgid) - t).isBetween(0L, HOUR - 1));
            }
        }
    }

    @Test
    void theStepCountsFromMidnightInTheSpecsZone() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata"); // UTC+05:30: a local whole hour is half past in UTC
        DataSet data = DataSet.generate(DataSetSpec.small().toBuilder().zone(kolkata).createTimeStep(HOUR).build());
        List<ObjectNode> all = data.groundTruth()
                .messages("single", data.startEpochSecond(), data.endEpochSecond(), null, 2).toList();
        assertThat(all).isNotEmpty().allSatisfy(m -> {
            assertThat(sinceMidnight(m, kolkata) % HOUR).isZero();
            assertThat(m.get("create_time").asLong() % HOUR).isEqualTo(HOUR / 2);
        });
        DataSet daily = DataSet.generate(DataSetSpec.small().toBuilder().createTimeStep(86400).build());
        assertThat(daily.groundTruth().messages("group", daily.startEpochSecond(), daily.endEpochSecond(), null, 2))
                .allSatisfy(m -> assertThat(sinceMidnight(m, daily.spec().zone())).isZero());
    }

    /** Digests of whole data sets taken before createTimeStep existed: step 1 must not change a byte. */
    @Test
    void stepOneIsTheDataSetOfBefore() throws Exception {
        assertThat(DataSetSpec.small().createTimeStep()).isEqualTo(1);
        assertThat(DataSetSpec.small().toBuilder().createTimeStep(1).build()).isEqualTo(DataSetSpec.small());
        assertThat(digest(DataSet.generate(DataSetSpec.small().toBuilder().createTimeStep(1).build())))
                .isEqualTo("ac6c9ba79e1549fa4edd490694ad8391ae4d714aac6b891770eaab410024ef82");
        assertThat(digest(DataSet.generate(DataSetSpec.small().withSeed(7).withUnknownAttachmentType(true))))
                .isEqualTo("6e96a67c10687ba73d8437faced91ddcbddc5fde79df35fa502ee57d5b996986");
        assertThat(digest(DataSet.generate(DataSetSpec.withResults(20_000))))
                .isEqualTo("d1678295d172760524a271f3216c62aaee392adf6dc751f9b641eaf4e3bb208e");
    }

    @Test
    void theStepIsValidatedAndKeptByCopies() {
        for (long bad : new long[] { 0, -1, Long.MIN_VALUE }) {
            assertThatThrownBy(() -> DataSetSpec.builder().createTimeStep(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("createTimeStep");
        }
        DataSetSpec hourly = DataSetSpec.demo().toBuilder().createTimeStep(HOUR).build();
        assertThat(hourly.createTimeStep()).isEqualTo(HOUR);
        assertThat(hourly.withSeed(9).createTimeStep()).isEqualTo(HOUR);
        assertThat(hourly.withUnknownAttachmentType(true).createTimeStep()).isEqualTo(HOUR);
        assertThat(hourly.toBuilder().build()).isEqualTo(hourly);
        for (String preset : List.of("small", "demo", "large", "large-corp")) {
            assertThat(DataSetSpec.preset(preset).createTimeStep()).isEqualTo(1);
        }
        assertThat(DataSetSpec.withResults(5000).createTimeStep()).isEqualTo(1);
    }

    /** Lists every message of {@code type} through windows of at most 31 days. */
    private static List<ObjectNode> listAll(SimClient client, String token, String type, DataSet data) {
        List<ObjectNode> all = new ArrayList<>();
        for (long start = data.startEpochSecond(); start <= data.endEpochSecond(); start += 31 * 86400L) {
            long end = Math.min(start + 31 * 86400L - 1, data.endEpochSecond());
            all.addAll(client.pageAll(Api.LIST, token, SimClient.listBody(type, start, end, null, 2, 100),
                    "group_msg_list"));
        }
        return all;
    }

    private static long sinceMidnight(ObjectNode message, ZoneId zone) {
        long t = message.get("create_time").asLong();
        return t - Instant.ofEpochSecond(t).atZone(zone).toLocalDate().atStartOfDay(zone).toEpochSecond();
    }

    private static Map<String, Long> byMsgid(List<ObjectNode> messages) {
        return messages.stream().collect(Collectors.toMap(m -> m.get("msgid").asText(),
                m -> m.get("create_time").asLong()));
    }

    /** SHA-256 over every message, task and send result of the ground truth, in order. */
    private static String digest(DataSet ds) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        GroundTruth truth = ds.groundTruth();
        Function<ObjectNode, byte[]> bytes = n -> n.toString().getBytes(StandardCharsets.UTF_8);
        for (String type : List.of("single", "group")) {
            long from = ds.startEpochSecond();
            long to = ds.endEpochSecond();
            truth.messages(type, from, to, null, 2).forEach(n -> md.update(bytes.apply(n)));
            truth.tasks(type, from, to, null, 2).forEach(n -> md.update(bytes.apply(n)));
            truth.results(type, from, to, null, 2).forEach(n -> md.update(bytes.apply(n)));
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
