package io.github.camelwecom.groupmsg.export;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** One simulator and client per test class; each test starts without faults and on the simulator's own clock. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineTestSupport {

    EngineHarness engine;

    @BeforeAll
    void start() {
        engine = new EngineHarness();
    }

    @AfterAll
    void stop() throws IOException {
        engine.close();
    }

    @BeforeEach
    void reset() {
        engine.simulator.faults().clear();
        engine.simulator.clearNow();
    }
}
