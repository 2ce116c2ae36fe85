package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyTest {
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    private static final ExecutorService POOL = Executors.newFixedThreadPool(12);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    @Test
    void latencyIsAddedAndCallersAreServedInParallel() throws Exception {
        try (WecomSimulator sim =
                WecomSimulator.builder().dataSet(DATA).latency(Duration.ofMillis(300)).build().start()) {
            SimClient client = new SimClient(sim);
            String token = client.token();
            List<JsonNode> answers = callConcurrently(client, token, 10);
            assertThat(answers).allSatisfy(a -> assertThat(a.get("errcode").asInt()).isZero());
            assertThat(sim.counters().peakConcurrent()).isGreaterThanOrEqualTo(5);
            awaitIdle(sim);
            assertThat(sim.counters().currentConcurrent()).isZero();

            sim.setLatency(Duration.ZERO);
            long t0 = System.nanoTime();
            client.call(Api.LIST, token, query());
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(300);
            assertThat(sim.latency()).isZero();
        }
    }

    @Test
    void aboveTheCapRequestsAreRefusedWith45033() throws Exception {
        try (WecomSimulator sim = WecomSimulator.builder().dataSet(DATA).latency(Duration.ofMillis(400))
                .maxConcurrentRequests(2).threads(12).build().start()) {
            SimClient client = new SimClient(sim);
            String token = client.token();
            List<JsonNode> answers = callConcurrently(client, token, 8);
            long refused = answers.stream().filter(a -> a.get("errcode").asInt() == 45033).count();
            long ok = answers.stream().filter(a -> a.get("errcode").asInt() == 0).count();
            assertThat(refused + ok).isEqualTo(8);
            assertThat(refused).isGreaterThanOrEqualTo(4);
            assertThat(ok).isBetween(1L, 4L);
            assertThat(answers).filteredOn(a -> a.get("errcode").asInt() == 45033)
                    .allSatisfy(a -> assertThat(a.get("errmsg").asText()).isEqualTo("api concurrent out of limit"));
            assertThat(sim.counters().concurrencyRejections()).isEqualTo(refused);
            assertThat(sim.counters().faults(Fault.CONCURRENT_LIMIT)).isZero();

            sim.setMaxConcurrentRequests(0);
            assertThat(callConcurrently(client, token, 8))
                    .allSatisfy(a -> assertThat(a.get("errcode").asInt()).isZero());
        }
    }

    @Test
    void countersResetKeepsRequestsInFlight() throws InterruptedException {
        try (WecomSimulator sim = WecomSimulator.builder().dataSet(DATA).build().start()) {
            SimClient client = new SimClient(sim);
            String token = client.token();
            client.call(Api.LIST, token, query());
            assertThat(sim.counters().totalCalls()).isEqualTo(2);
            assertThat(sim.counters().tokensIssued()).isEqualTo(1);
            assertThat(sim.counters().toString()).contains("LIST=1/1ok");
            awaitIdle(sim);
            sim.counters().reset();
            assertThat(sim.counters().totalCalls()).isZero();
            assertThat(sim.counters().tokensIssued()).isZero();
            assertThat(sim.counters().peakConcurrent()).isZero();
        }
    }

    /** The handler leaves just after the answer is written, so the client can be a moment ahead of it. */
    private static void awaitIdle(WecomSimulator sim) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (sim.counters().currentConcurrent() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private List<JsonNode> callConcurrently(SimClient client, String token, int n) throws Exception {
        List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(CompletableFuture.supplyAsync(() -> client.call(Api.LIST, token, query()), POOL));
        }
        List<JsonNode> answers = new ArrayList<>();
        for (CompletableFuture<JsonNode> f : futures) {
            answers.add(f.get());
        }
        return answers;
    }

    private static ObjectNode query() {
        return SimClient.listBody("group", DATA.startEpochSecond(), DATA.startEpochSecond() + 86400L * 31, null, 2, 10);
    }
}
