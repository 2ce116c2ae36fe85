package io.github.camelwecom.groupmsg;

import io.github.camelwecom.groupmsg.simulator.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small page sizes and short windows force many pages and list queries; concurrency changes how many run at once but
 * not what is emitted or in which order.
 */
class PagingAndWindowsTest extends SimulatorTestSupport {

    @Test
    void tinyPagesAndWeekWindows() throws Exception {
        Collector got = exportAll(uri("list", RANGE + "&limit=3&windowSize=P7D"));

        ExportAssertions.assertExactly(got.bodies, truth("list", "single"));
        long weeks = (RANGE_END - RANGE_START + 1 + 7 * 86400 - 1) / (7 * 86400);
        long pages = simulator.counters().calls(Api.LIST);
        assertThat(pages).as("every week window listed, with several pages each")
                .isGreaterThanOrEqualTo(Math.max(weeks, got.size() / 3));
    }

    @Test
    void oneDayWindowsEmitTheSameRecords() throws Exception {
        Collector got = exportAll(uri("task", RANGE + "&chatType=group&windowSize=P1D&limit=2"));

        ExportAssertions.assertExactly(got.bodies, truth("task", "group"));
        assertThat(simulator.counters().calls(Api.LIST)).isGreaterThanOrEqualTo(122);
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = { 1, 4, 16 })
    void concurrencyKeepsTheOrder(int concurrency) throws Exception {
        Collector got = exportAll(uri("result", RANGE + "&limit=37&concurrency=" + concurrency));

        ExportAssertions.assertExactly(got.bodies, truth("result", "single"));
        assertThat(simulator.counters().peakConcurrent()).as(simulator.counters().toString())
                .isLessThanOrEqualTo(concurrency);
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = { 1, 2 })
    void membersKnownToTakeSeveralPagesAreReadFirstWithoutChangingTheOrder(int concurrency) throws Exception {
        String options = RANGE + "&limit=37&concurrency=" + concurrency;
        ExportAssertions.assertExactly(exportAll(uri("result", options)).bodies, truth("result", "single"));

        // the first export showed which members take several pages: the second reads their results ahead of the
        // members before them, and the caller reads the head itself while the workers wait for room
        Collector again = exportAll(uri("result", options + "&maxMessagesPerPoll=50"));
        ExportAssertions.assertExactly(again.bodies, truth("result", "single"));
    }

    @Test
    void defaultPageSizesAreTheMaximum() throws Exception {
        Collector got = exportAll(uri("result", RANGE + "&chatType=single&concurrency=1"));

        ExportAssertions.assertExactly(got.bodies, truth("result", "single"));
        // one member has more than 1000 customers: at limit 1000 some results take two pages, never more
        long tasks = DATA.groundTruth().countTasks("single", RANGE_START, RANGE_END, null, 2);
        assertThat(simulator.counters().calls(Api.RESULT)).isBetween(tasks, tasks * 2);
    }
}
