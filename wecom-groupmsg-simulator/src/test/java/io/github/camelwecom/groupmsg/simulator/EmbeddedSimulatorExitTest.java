package io.github.camelwecom.groupmsg.simulator;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that embeds the simulator (the demo does) and then fails must end: the simulator's threads never keep
 * a JVM alive.
 */
class EmbeddedSimulatorExitTest {

    /** Starts a simulator and then fails, as an application whose route does not start. */
    public static void main(String[] args) {
        WecomSimulator.builder().dataSet(DataSet.generate(DataSetSpec.small())).build().start();
        throw new IllegalStateException("the application failed after starting the simulator");
    }

    @Test
    void aJvmThatFailsAfterStartingTheSimulatorEnds() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), EmbeddedSimulatorExitTest.class.getName())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            // generous: CI runs this on busy 2-core machines
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the JVM ended").isTrue();
            assertThat(child.exitValue()).isEqualTo(1);
        } finally {
            child.destroyForcibly();
        }
    }
}
