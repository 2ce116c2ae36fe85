package io.github.camelwecom.groupmsg;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tasks and send results go from unsent to sent after the message was created. A follow-mode consumer re-reads the
 * messages of the last {@code trackChangesFor} each poll and emits a record again, marked UPDATED, exactly when its
 * status or send_time changed; everything else once, marked NEW. The simulator's "now" and the component's clock move
 * together.
 */
class ChangeTrackingTest extends CamelTestSupport {

    private static final long DAY = 86_400;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final long RANGE_START = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
    /** A month with several messages a day, so that statuses change while they are tracked. */
    private static final DataSet DATA = DataSet.generate(DataSetSpec.builder()
            .days(LocalDate.parse("2025-09-01"), LocalDate.parse("2025-09-30")).singleMessages(90).groupMessages(45)
            .members(8).bigMembers(0).typicalCustomers(12).maxChatsPerMember(4).build());

    private static final Map<String, Long> CREATE_TIMES = Stream.of("single", "group")
            .flatMap(type -> DATA.groundTruth().messages(type, RANGE_START, DATA.endEpochSecond(), null, 2))
            .collect(Collectors.toMap(m -> m.get("msgid").asText(), m -> m.get("create_time").asLong()));

    private final WecomSimulator simulator = WecomSimulator.builder().port(0).dataSet(DATA).build().start();

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    private String uri(String api, String options) {
        return "wecom-groupmsg:" + api + "?baseUrl=" + simulator.baseUrl() + "&corpId=" + WecomSimulator.DEFAULT_CORP_ID
                + "&corpSecret=" + WecomSimulator.DEFAULT_CORP_SECRET + "&initialDelay=0&delay=50&" + options;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "task,single", "result,single", "result,group" })
    void changedRecordsComeAgainAsUpdated(String api, String chatType) throws Exception {
        long t1 = RANGE_START + 10 * DAY;
        MovableClock clock = new MovableClock(t1);
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        simulator.setNow(Instant.ofEpochSecond(t1));
        SimulatorTestSupport.Collector got = new SimulatorTestSupport.Collector();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(api, "startTime=2025-09-01&chatType=" + chatType + "&trackChangesFor=P3D&overlap=PT10M"))
                        .routeId("tracking").process(got::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("tracking").getConsumer();

        long now = t1;
        SimulatorTestSupport.await(Duration.ofSeconds(30), () -> got.size() >= count(api, chatType, t1),
                () -> "first pass");
        for (int step = 0; step < 24; step++) {
            now += DAY / 3;
            moveTo(clock, now);
            // a whole pass at this now re-read the tracked days, so changes up to now were emitted
            SimulatorTestSupport.awaitPassUpTo(consumer, now);
            long expected = count(api, chatType, now);
            SimulatorTestSupport.await(Duration.ofSeconds(30), () -> newKeys(got).size() >= expected,
                    () -> "pass at " + Instant.ofEpochSecond(clock.instant().getEpochSecond()) + ": "
                            + newKeys(got).size() + "/" + expected);
        }
        // more passes at the same now re-read the tracked days: nothing more may come
        SimulatorTestSupport.awaitWholePass(consumer);
        int emittedSoFar = got.size();
        SimulatorTestSupport.assertStays(() -> got.size() == emittedSoFar,
                () -> "emitted at an unchanged now: " + (got.size() - emittedSoFar));

        int updated = assertLatestStates(got, api, chatType, now);
        if ("result".equals(api) && "group".equals(chatType)) {
            // group send results are listed only once sent: they arrive late, as NEW, and never change
            assertThat(updated).isZero();
        } else {
            assertThat(updated).as("records that changed while tracked were emitted again").isPositive();
        }
    }

    /**
     * A route stopped inside a member's send results (its record failed) resumes there after the restart, and the
     * member's results are remembered whole: an hourly reconciliation of every tracked member finds nothing that was
     * not a change. File state, clock moved between polls, polls run by the test.
     */
    @Test
    void aRestartInsideAMembersResultsLosesAndRepeatsNothing(@TempDir File dir) throws Exception {
        long t1 = RANGE_START + 10 * DAY;
        MovableClock clock = new MovableClock(t1);
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        context.getRegistry().bind("state", FileStateRepository.fileStateRepository(new File(dir, "follow.state")));
        simulator.setNow(Instant.ofEpochSecond(t1));
        String endpoint = uri("result", "startTime=2025-09-01&chatType=single&limit=3&reconcileInterval=PT1H"
                + "&startScheduler=false&stateRepository=#state");
        SimulatorTestSupport.Collector got = new SimulatorTestSupport.Collector();
        AtomicReference<String> failedAt = new AtomicReference<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("first").process(exchange -> {
                    JsonNode record = ExportAssertions.json(exchange.getMessage().getBody());
                    String member = record.path("msgid").asText() + "/" + record.path("userid").asText();
                    int last = got.size() - 1;
                    // the second result of a member who sent a message that stays tracked: the checkpoint then
                    // points inside results that only the reconciliation reads again
                    boolean settled = record.path("status").asInt() != 0 && createTime(record) > t1 - 2 * DAY;
                    if (failedAt.get() != null
                            || settled && last >= 0 && member.equals(memberOf(got.bodies.get(last)))) {
                        failedAt.compareAndSet(null, member);
                        throw new IllegalStateException("sink down");
                    }
                    got.add(exchange);
                });
            }
        });
        SimulatorTestSupport.runPolls((WecomGroupMsgConsumer) context.getRoute("first").getConsumer());
        assertThat(failedAt.get()).as("the route failed inside a member's results").isNotNull();
        context.getRouteController().stopRoute("first");
        context.removeRoute("first");

        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("second").process(got::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("second").getConsumer();
        long now = t1;
        SimulatorTestSupport.runPolls(consumer);
        for (int step = 0; step < 9; step++) {
            now += DAY / 3;
            moveTo(clock, now);
            SimulatorTestSupport.runPolls(consumer);
            assertThat(consumer.getCompleteUpTo()).isEqualTo(now);
        }
        assertThat(consumer.getEndpoint().getReconciledMembers()).as("members reconciled").isPositive();
        assertThat(consumer.getEndpoint().getReconciledChanges()).as("reconciliations that found a change").isZero();
        assertThat(assertLatestStates(got, "result", "single", now)).as("UPDATED").isPositive();
    }

    private static String memberOf(Object body) {
        JsonNode record = ExportAssertions.json(body);
        return record.path("msgid").asText() + "/" + record.path("userid").asText();
    }

    /**
     * Asserts that every record of the ground truth at {@code now} was emitted, NEW once, UPDATED only with another
     * state, and last in its current state while tracked; returns the number of UPDATED records.
     */
    private static int assertLatestStates(SimulatorTestSupport.Collector got, String api, String chatType, long now) {
        GroundTruth truth = DATA.groundTruth().asOf(Instant.ofEpochSecond(now));
        List<ObjectNode> expected = records(truth, api, chatType, now);
        Map<String, JsonNode> latest = new HashMap<>();
        Map<String, JsonNode> previous = new HashMap<>();
        int updated = 0;
        for (int i = 0; i < got.size(); i++) {
            JsonNode record = ExportAssertions.json(got.bodies.get(i));
            String key = key(record);
            String change = (String) got.headers.get(i).get(WecomGroupMsgConstants.CHANGE);
            if ("UPDATED".equals(change)) {
                updated++;
                assertThat(previous).as("UPDATED only after NEW: " + record).containsKey(key);
                assertThat(record).as("UPDATED means changed").isNotEqualTo(previous.get(key));
            } else {
                assertThat(change).isEqualTo("NEW");
                assertThat(previous).as("NEW only once: " + record).doesNotContainKey(key);
            }
            previous.put(key, record);
            latest.put(key, record);
        }
        Set<String> expectedKeys = new HashSet<>();
        for (ObjectNode record : expected) {
            JsonNode normalized = ExportAssertions.json(record);
            expectedKeys.add(key(normalized));
            if (createTime(normalized) >= now - 3 * DAY) {
                // tracked at the last poll: the latest emission is the current state
                assertThat(latest.get(key(normalized))).as("latest state of " + key(normalized)).isEqualTo(normalized);
            }
        }
        assertThat(latest.keySet()).isEqualTo(expectedKeys);
        System.out.printf("change tracking %s %s: %d NEW, %d UPDATED%n", api, chatType, latest.size(), updated);
        return updated;
    }

    private void moveTo(MovableClock clock, long epochSecond) {
        simulator.setNow(Instant.ofEpochSecond(epochSecond));
        clock.set(epochSecond);
    }

    private static long count(String api, String chatType, long now) {
        return records(DATA.groundTruth().asOf(Instant.ofEpochSecond(now)), api, chatType, now).size();
    }

    private static List<ObjectNode> records(GroundTruth truth, String api, String chatType, long now) {
        return "task".equals(api)
                ? truth.tasks(chatType, RANGE_START, now, null, 2).toList()
                : truth.results(chatType, RANGE_START, now, null, 2).toList();
    }

    private static Set<String> newKeys(SimulatorTestSupport.Collector got) {
        Set<String> keys = new HashSet<>();
        for (Object body : List.copyOf(got.bodies)) {
            keys.add(key(ExportAssertions.json(body)));
        }
        return keys;
    }

    private static String key(JsonNode record) {
        return record.path("msgid").asText() + "/" + record.path("userid").asText() + "/"
                + record.path("external_userid").asText() + "/" + record.path("chat_id").asText();
    }

    private static long createTime(JsonNode record) {
        return CREATE_TIMES.get(record.path("msgid").asText());
    }
}
