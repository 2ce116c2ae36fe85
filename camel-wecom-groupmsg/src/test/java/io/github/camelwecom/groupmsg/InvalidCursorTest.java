package io.github.camelwecom.groupmsg;

import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * errcode 50100 (invalid cursor) restarts the sequence from its first page; records already emitted are skipped, so the
 * export still equals the ground truth.
 */
class InvalidCursorTest extends SimulatorTestSupport {

    @ParameterizedTest(name = "{0} refuses a cursor in a {1} export")
    @CsvSource({ "LIST,list,limit=4", "TASK,task,limit=2", "RESULT,result,limit=150" })
    void invalidCursorRestartsThePaging(Api failing, String api, String options) throws Exception {
        simulator.faults().failNext(failing, Fault.INVALID_CURSOR, 2);

        Collector got = exportAll(uri(api, RANGE + "&" + options + "&concurrency=1"));

        ExportAssertions.assertExactly(got.bodies, truth(api, "single"));
        assertThat(simulator.counters().faults(Fault.INVALID_CURSOR)).isEqualTo(2);
    }
}
