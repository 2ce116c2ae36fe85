package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WecomSimulatorMainTest {

    @Test
    void argumentsConfigureTheSimulator() {
        WecomSimulator sim =
                WecomSimulatorMain.configure(new String[] { "--port", "0", "--seed", "7", "--preset", "small",
                        "--latency-ms", "5", "--token-ttl-s", "60", "--max-concurrent", "3", "--corp-id", "ww-demo",
                        "--corp-secret", "demo-secret", "--unknown-attachments" });
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
    void nowIsAnIsoInstantOrEpochSeconds() {
        try (WecomSimulator iso =
                WecomSimulatorMain.configure(new String[] { "--preset", "small", "--now", "2025-09-10T12:00:00Z" })) {
            assertThat(iso.isNowFixed()).isTrue();
            assertThat(iso.now()).isEqualTo(Instant.parse("2025-09-10T12:00:00Z"));
        }
        try (WecomSimulator epoch =
                WecomSimulatorMain.configure(new String[] { "--preset", "small", "--now", "1757505600" })) {
            assertThat(epoch.now()).isEqualTo(Instant.parse("2025-09-10T12:00:00Z"));
        }
        assertThat(WecomSimulatorMain.configure(new String[] { "--preset", "small" }).isNowFixed()).isFalse();
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] { "--now", "yesterday" }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--now");
    }

    @Test
    void createTimeStepReachesTheDataSet() {
        try (WecomSimulator sim = WecomSimulatorMain.configure(new String[] { "--preset", "small", "--seed", "7",
                "--create-time-step", "3600" })) {
            assertThat(sim.dataSet().spec())
                    .isEqualTo(DataSetSpec.small().withSeed(7).toBuilder().createTimeStep(3600).build());
        }
        assertThat(WecomSimulatorMain.configure(new String[] { "--preset", "small" }).dataSet().spec().createTimeStep())
                .isEqualTo(1);
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] { "--create-time-step", "0" }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("createTimeStep");
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] { "--create-time-step", "hourly" }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--create-time-step");
    }

    @Test
    void deliveryDelayAndJitterReachTheDataSet() {
        try (WecomSimulator sim = WecomSimulatorMain.configure(new String[] { "--preset", "small", "--seed", "7",
                "--delivery-delay-s", "2", "--delivery-jitter-s", "5" })) {
            assertThat(sim.dataSet().spec()).isEqualTo(DataSetSpec.small().withSeed(7).toBuilder()
                    .deliveryDelaySeconds(2).deliveryJitterSeconds(5).build());
        }
        DataSetSpec plain = WecomSimulatorMain.configure(new String[] { "--preset", "small" }).dataSet().spec();
        assertThat(plain.deliveryDelaySeconds()).isZero();
        assertThat(plain.deliveryJitterSeconds()).isZero();
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] { "--delivery-delay-s", "-1" }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryDelaySeconds");
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] { "--delivery-jitter-s", "soon" }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--delivery-jitter-s");
    }

    @Test
    void listWindowReadingsAreFlags() {
        try (WecomSimulator sim = WecomSimulatorMain.configure(new String[] { "--preset", "small" })) {
            assertThat(sim.isEndTimeExclusive()).isFalse();
            assertThat(sim.isRefuseZeroWidthWindows()).isFalse();
        }
        try (WecomSimulator sim =
                WecomSimulatorMain.configure(new String[] { "--end-time-exclusive", "--preset", "small" })) {
            assertThat(sim.isEndTimeExclusive()).isTrue();
            assertThat(sim.isRefuseZeroWidthWindows()).isFalse();
        }
        try (WecomSimulator sim = WecomSimulatorMain.configure(new String[] { "--preset", "small",
                "--refuse-zero-width-windows" })) {
            assertThat(sim.isEndTimeExclusive()).isFalse();
            assertThat(sim.isRefuseZeroWidthWindows()).isTrue();
        }
    }

    @Test
    void callLimitsAreOffUnlessAskedForWecomsOrScaled() {
        assertThat(limits()).isEqualTo(CallLimits.none());
        assertThat(limits("--call-limits", "wecom")).isEqualTo(CallLimits.wecom());
        assertThat(limits("--call-limits", "provider")).isEqualTo(CallLimits.wecomProvider());
        assertThat(limits("--call-limits", "provider", "--call-limit-scale", "0.01"))
                .isEqualTo(new CallLimits(100, 1500, 400, 12_000));
        assertThat(limits("--call-limit-scale", "0.001")).isEqualTo(new CallLimits(10, 150, 20, 600));
        assertThat(limits("--call-limits", "off")).isEqualTo(CallLimits.none());
        assertThatThrownBy(() -> limits("--call-limits", "strict")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--call-limits");
        assertThatThrownBy(() -> limits("--call-limit-scale", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--call-limit-scale");
    }

    private static CallLimits limits(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--preset";
        all[1] = "small";
        System.arraycopy(args, 0, all, 2, args.length);
        try (WecomSimulator sim = WecomSimulatorMain.configure(all)) {
            return sim.callLimiter().limits();
        }
    }

    @Test
    void helpAndBadArguments() {
        assertThat(WecomSimulatorMain.configure(new String[] { "--help" })).isNull();
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] { "--nope", "1" }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--nope");
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] { "--port" }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing value");
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] { "--preset", "huge" }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("huge");
        assertThatThrownBy(() -> WecomSimulatorMain.configure(new String[] { "--latency-ms", "x" }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
