package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A next_cursor the server already gave in the same sequence would have the pager read the same pages forever. The
 * sequence starts over from its first page, as on errcode 50100, skipping what it passed; a server that repeats its
 * cursor every time fails the poll after a bounded number of calls, with an error that says so, and no record twice.
 */
class CursorCycleTest extends SimulatorTestSupport {

    @ParameterizedTest(name = "{0} repeats its cursor twice in a {1} export")
    @CsvSource({ "LIST,list,limit=4", "TASK,task,limit=2", "RESULT,result,limit=150" })
    void aRepeatedCursorStartsTheSequenceOver(Api failing, String api, String options) throws Exception {
        simulator.faults().failNext(failing, Fault.CURSOR_CYCLE, 2);

        Collector got = exportAll(uri(api, RANGE + "&" + options + "&concurrency=1"));

        ExportAssertions.assertExactly(got.bodies, truth(api, "single"));
        assertThat(simulator.counters().faults(Fault.CURSOR_CYCLE)).isEqualTo(2);
    }

    @Test
    void aServerThatAlwaysRepeatsItsCursorFailsThePollAfterFewCalls() throws Exception {
        simulator.faults().probability(Api.LIST, Fault.CURSOR_CYCLE, 1.0);
        Collector got = new Collector();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("list", RANGE + "&limit=4&startScheduler=false")).routeId("cycle").process(got::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("cycle").getConsumer();

        try (LogCapture logs = new LogCapture(Level.WARN)) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> SimulatorTestSupport.runPolls(consumer));
            long calls = simulator.counters().calls(Api.LIST);
            // the windows before the first one of several pages, then 2 pages and 3 restarts of 2 pages each
            assertThat(calls).as("list calls of the poll").isLessThanOrEqualTo(5 + 2 + 3 * 2);
            assertThat(logs.text()).contains("get_groupmsg_list_v2").contains("repeated a next_cursor");
        }
        List<JsonNode> truth = ExportAssertions.json(truth("list", "single").toList());
        assertThat(ExportAssertions.json(got.bodies)).as("what came is the start of the export, once")
                .containsExactlyElementsOf(truth.subList(0, got.size()));
        assertThat(consumer.isFinished()).isFalse();
    }

    /**
     * Each poll fails at the cycle, after handing on what came before it; the next poll resumes at the last record
     * handed on, and must not trust a cursor of the cycle to get there: the pages of the cycle came once.
     */
    @ParameterizedTest(name = "{0} repeats its cursor on every page of a {1} export, poll after poll")
    @CsvSource({ "LIST,list,limit=4", "TASK,task,limit=2", "RESULT,result,limit=150" })
    void aServerThatAlwaysRepeatsItsCursorHandsOnEachRecordOnceOverManyPolls(Api failing, String api, String options)
            throws Exception {
        simulator.faults().probability(failing, Fault.CURSOR_CYCLE, 1.0);
        Collector got = new Collector();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(api, RANGE + "&" + options + "&concurrency=1&startScheduler=false")).routeId("cycling")
                        .process(got::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("cycling").getConsumer();

        int[] after = new int[6];
        try (LogCapture logs = new LogCapture(Level.WARN)) {
            for (int poll = 0; poll < after.length; poll++) {
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> SimulatorTestSupport.runPolls(consumer));
                after[poll] = got.size();
            }
            assertThat(logs.text().lines().filter(l -> l.contains("repeated a next_cursor")).count())
                    .as("one line per failed poll").isEqualTo((long) after.length);
        }
        assertThat(after[0]).as("records before the first cycle").isPositive();
        List<JsonNode> truth = ExportAssertions.json(truth(api, "single").toList());
        assertThat(ExportAssertions.json(got.bodies)).as("what came over %d polls is the start of the export, once",
                after.length).containsExactlyElementsOf(truth.subList(0, got.size()));
        assertThat(after[after.length - 1]).as("records after the last poll, as after the first").isEqualTo(after[0]);
    }
}
