package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API document does not say whether get_groupmsg_list_v2's end_time is inclusive. Every message of this data set
 * sits on a whole hour, and the two-hour windows start either on the hour (records at each window's first second and at
 * endTime) or one second after it (records at each window's last second). Against a server of either reading, and one
 * that refuses a window whose start_time equals its end_time, the export holds every record exactly once.
 */
class WindowEdgeTest extends SimulatorTestSupport {

    private static final LocalDate FIRST = LocalDate.parse("2025-09-01");
    private static final DataSet ON_THE_HOUR = DataSet.generate(DataSetSpec.small().toBuilder()
            .days(FIRST, LocalDate.parse("2025-09-03")).singleMessages(60).groupMessages(0).createTimeStep(3600)
            .build());
    private static final long HOUR = 3600;
    private static WecomSimulator edges;

    @BeforeAll
    static void startEdgeSimulator() {
        edges = WecomSimulator.builder().port(0).dataSet(ON_THE_HOUR).credentials(CORP_ID, CORP_SECRET)
                .refuseZeroWidthWindows(true).build().start();
    }

    @AfterAll
    static void stopEdgeSimulator() {
        edges.close();
    }

    @ParameterizedTest(name = "{0} export, end_time exclusive: {1}, windows from {2}")
    @CsvSource({
            "list, false, 2025-09-01T08:00:00+08:00", "list, true, 2025-09-01T08:00:00+08:00",
            "list, false, 2025-09-01T07:00:01+08:00", "list, true, 2025-09-01T07:00:01+08:00",
            "result, true, 2025-09-01T08:00:00+08:00", "result, true, 2025-09-01T07:00:01+08:00" })
    void everyRecordOnAWindowEdgeComesOnce(String api, boolean exclusive, String start) throws Exception {
        edges.setEndTimeExclusive(exclusive);
        long startTime = OffsetDateTime.parse(start).toEpochSecond();
        // 30 windows of two hours and one second more: the range's last second is a window of its own today
        long endTime = startTime + 30 * 2 * HOUR;
        long onEdges = truth("list", startTime, endTime)
                .mapToLong(m -> m.get("create_time").asLong())
                .filter(t -> (t - startTime) % (2 * HOUR) == 0 || (t - startTime + 1) % (2 * HOUR) == 0).count();
        assertThat(onEdges).as("messages at a window's first or last second").isGreaterThan(10);

        Collector got = export(api + "?startTime=" + startTime + "&endTime=" + endTime + "&windowSize=PT2H");

        ExportAssertions.assertExactly(got.bodies, truth(api, startTime, endTime));
    }

    private static Stream<ObjectNode> truth(String api, long start, long end) {
        return api.equals("list") ? ON_THE_HOUR.groundTruth().messages("single", start, end, null, 2)
                : ON_THE_HOUR.groundTruth().results("single", start, end, null, 2);
    }

    private Collector export(String apiAndOptions) throws Exception {
        Collector collector = new Collector();
        String routeId = "edges-" + System.nanoTime();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("wecom-groupmsg:" + apiAndOptions + "&baseUrl=" + edges.baseUrl() + "&corpId=" + CORP_ID
                        + "&corpSecret=" + CORP_SECRET + "&initialDelay=0&delay=100&retryDelay=10ms&maxRetryDelay=50ms")
                        .routeId(routeId).process(collector::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute(routeId).getConsumer();
        await(Duration.ofSeconds(60), consumer::isFinished, () -> "export did not finish; got " + collector.size());
        context.getRouteController().stopRoute(routeId);
        return collector;
    }
}
