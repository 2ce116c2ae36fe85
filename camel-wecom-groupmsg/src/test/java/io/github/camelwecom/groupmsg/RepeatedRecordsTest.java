package io.github.camelwecom.groupmsg;

import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that repeats records, within a page and across the pages of one sequence: each record is emitted once, and a
 * repeated message or task is not fanned out twice.
 */
class RepeatedRecordsTest extends SimulatorTestSupport {

    @ParameterizedTest(name = "{0} repeats records in a {1} export")
    @CsvSource({ "LIST,list,limit=4", "TASK,task,limit=2", "LIST,result,limit=150", "TASK,result,limit=150",
            "RESULT,result,limit=150" })
    void everyRecordComesOnce(Api repeating, String api, String options) throws Exception {
        simulator.faults().probability(repeating, Fault.REPEATED_RECORDS, 1.0);

        Collector got = exportAll(uri(api, RANGE + "&" + options + "&concurrency=2"));

        ExportAssertions.assertExactly(got.bodies, truth(api, "single"));
        assertThat(simulator.counters().faults(Fault.REPEATED_RECORDS)).isGreaterThan(0);
    }
}
