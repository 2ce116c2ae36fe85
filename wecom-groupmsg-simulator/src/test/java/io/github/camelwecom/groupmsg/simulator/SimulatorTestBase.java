package io.github.camelwecom.groupmsg.simulator;

import java.util.Comparator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One simulator for all tests of a class, serving the data set the subclass passes, with a {@link SimClient} and a
 * token taken at the start. Each test starts with no faults and zeroed counters, whatever the test before it left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SimulatorTestBase {
    private final DataSet data;
    WecomSimulator sim;
    SimClient client;
    String token;

    SimulatorTestBase(DataSet data) {
        this.data = data;
    }

    @BeforeAll
    void startSimulator() {
        sim = WecomSimulator.builder().dataSet(data).build().start();
        client = new SimClient(sim);
        token = client.token();
    }

    @AfterAll
    void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    @BeforeEach
    void noFaultsAndZeroCounters() {
        sim.faults().clear();
        sim.counters().reset();
    }

    /** msgid and userid of the single-chat task with the most send results. */
    String[] bigSingleTask() {
        GroundTruth truth = data.groundTruth();
        return truth.tasks("single", data.startEpochSecond(), data.endEpochSecond(), null, 2)
                .max(Comparator
                        .comparingLong(t -> truth.countResults(t.get("msgid").asText(), t.get("userid").asText())))
                .map(t -> new String[] { t.get("msgid").asText(), t.get("userid").asText() }).orElseThrow();
    }
}
