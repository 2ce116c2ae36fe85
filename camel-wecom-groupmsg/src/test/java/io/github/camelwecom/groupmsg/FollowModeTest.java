package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.time.LocalDate;

import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without endTime the consumer follows "now": each poll reads from a little before where the last one ended (overlap,
 * trackChangesFor) up to now, and emits every record once. The component's clock is moved by the test.
 */
class FollowModeTest extends SimulatorTestSupport {

    private final MovableClock clock = new MovableClock(at("2025-10-15"));

    @Override
    protected void doPostSetup() {
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "list,single", "task,group", "result,single" })
    void followsNowAndEmitsEachRecordOnce(String api, String chatType) throws Exception {
        Collector got = new Collector();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(api, "startTime=2025-09-01&chatType=" + chatType + "&overlap=P2D&trackChangesFor=P1D"))
                        .routeId("follow").process(got::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("follow").getConsumer();

        long first = expected(api, chatType, at("2025-10-15"));
        await(Duration.ofSeconds(30), () -> got.size() >= first, () -> "first pass: " + got.size() + "/" + first);
        clock.set(at("2025-11-20"));
        long second = expected(api, chatType, at("2025-11-20"));
        await(Duration.ofSeconds(30), () -> got.size() >= second, () -> "second pass: " + got.size() + "/" + second);
        clock.set(at("2026-01-01"));
        long all = expected(api, chatType, at("2026-01-01"));
        await(Duration.ofSeconds(30), () -> got.size() >= all, () -> "third pass: " + got.size() + "/" + all);
        // a whole pass after the last record re-read the overlap: a record emitted twice would be in by now
        awaitWholePass(consumer);
        assertStays(() -> got.size() == all, () -> "after the third pass: " + got.size() + "/" + all + " after "
                + consumer.getPassesCompleted() + " passes");

        ExportAssertions.assertExactly(got.bodies,
                switch (api) {
                    case "list" -> DATA.groundTruth().messages(chatType, RANGE_START, at("2026-01-01"), null, 2);
                    case "task" -> DATA.groundTruth().tasks(chatType, RANGE_START, at("2026-01-01"), null, 2);
                    default -> DATA.groundTruth().results(chatType, RANGE_START, at("2026-01-01"), null, 2);
                });
        assertThat(got.headers).allSatisfy(h -> assertThat(h).containsEntry(WecomGroupMsgConstants.CHANGE, "NEW"));
    }

    private static long expected(String api, String chatType, long now) {
        return switch (api) {
            case "list" -> DATA.groundTruth().countMessages(chatType, RANGE_START, now, null, 2);
            case "task" -> DATA.groundTruth().countTasks(chatType, RANGE_START, now, null, 2);
            default -> DATA.groundTruth().countResults(chatType, RANGE_START, now, null, 2);
        };
    }

    private static long at(String date) {
        return LocalDate.parse(date).atStartOfDay(ZONE).toEpochSecond();
    }
}
