package io.github.camelwecom.groupmsg.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WecomSimulatorMainTest {

    @Test
    void argumentsConfigureTheSimulator() {
        WecomSimulator sim = WecomSimulatorMain.configure(new String[] {"--port", "0", "--seed", "7", "--preset", "small",
            "--latency-ms", "5", "--token-ttl-s", "60", "--max-concurrent", "3", "--corp-id", "ww-demo",
            "--corp-secret", "demo-secret", "--unknown-attachments"});
        try (sim) {
            assertThat(sim.dataSet().spec()).isEqualTo(DataSetSpec.small().withSeed(7).withUnknownAttachmentType(true));
            assertThat(sim.latency()).isEqualTo(Duration.ofMillis(5));
            assertThat(sim.tokenTtl()).isEqualTo(Duration.ofSeconds(60));
            assertThat(sim.maxConcurrentRequests()).isEqualTo(3);
            assertThat(sim.credentials()).containsEntry("ww-demo", "demo-secret").hasSize(1);
            sim.start();
            assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
            SimClient client = new SimClient(sim);
            assertThat(client.getToken("ww-demo", "demo-secret").get("expires_in").asLong()).isBetween(59L, 60L);
        }
    }

    @Test
    void helpAndBadArguments() {
        assertThat(WecomSimulatorMain.configure(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] {"--nope", "1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--nope");
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] {"--port"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing value");
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] {"--preset", "huge"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("huge");
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] {"--latency-ms", "x"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
