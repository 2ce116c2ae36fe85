package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * What a test needs to check a client's secrets, rate limit and backoff: issued tokens and the call log. Tests here
 * take their own tokens: one expires them all.
 */
class CallLogTest extends SimulatorTestBase {
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    private static final long MS = 1_000_000;

    CallLogTest() {
        super(DATA);
    }

    @BeforeEach
    void noLatency() {
        sim.setLatency(Duration.ZERO);
    }

    @Test
    void everyIssuedTokenIsKnown() {
        String first = client.token();
        assertThat(client.token()).isEqualTo(first);
        assertThat(sim.issuedTokens()).contains(first);
        sim.expireAllTokens();
        String second = client.token();
        assertThat(second).isNotEqualTo(first);
        sim.counters().reset();
        assertThat(sim.issuedTokens()).contains(first, second);
        assertThatThrownBy(() -> sim.issuedTokens().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void slidingWindowCountsHalfOpenSpans() {
        assertThat(SimulatorCounters.maxInWindow(new long[0], 1000)).isZero();
        assertThat(SimulatorCounters.maxInWindow(new long[] { 1500, 0, 100, 200, 999, 1000 }, 1000)).isEqualTo(4);
        assertThat(SimulatorCounters.maxInWindow(new long[] { 0, 1000, 2000 }, 1000)).isEqualTo(1);
        assertThat(SimulatorCounters.maxInWindow(new long[] { 0, 1000, 2000 }, 1001)).isEqualTo(2);
        assertThat(SimulatorCounters.maxInWindow(new long[] { 5, 5, 5 }, 1)).isEqualTo(3);
        assertThatThrownBy(() -> SimulatorCounters.maxInWindow(new long[] { 1 }, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callTimesShowBurstsAndTheirSpacing() throws InterruptedException {
        String token = client.token();
        long t0 = System.nanoTime();
        for (int burst = 0; burst < 2; burst++) {
            for (int i = 0; i < 5; i++) {
                client.call(Api.LIST, token, listQuery(i));
            }
            if (burst == 0) {
                Thread.sleep(1_100);
            }
        }
        client.call(Api.TASK, token, SimClient.body().put("msgid", msgid()));
        long t1 = System.nanoTime();

        List<Long> times = sim.counters().callTimesNanos(Api.LIST);
        assertThat(times).hasSize(10).isSorted().allSatisfy(t -> assertThat(t).isBetween(t0, t1));
        assertThat(times.get(5) - times.get(4)).isGreaterThanOrEqualTo(1_100 * MS);
        assertThat(sim.counters().maxCallsInAnyWindow(Api.LIST, Duration.ofSeconds(1))).isEqualTo(5);
        assertThat(sim.counters().maxCallsInAnyWindow(Api.LIST, Duration.ofSeconds(10))).isEqualTo(10);
        assertThat(sim.counters().maxCallsInAnyWindow(Set.of(Api.LIST, Api.TASK), Duration.ofSeconds(1))).isEqualTo(6);
        assertThat(sim.counters().maxCallsInAnyWindow(Api.RESULT, Duration.ofSeconds(1))).isZero();
        assertThat(sim.counters().callLog()).hasSize(12).extracting(ApiCall::api).startsWith(Api.GETTOKEN)
                .endsWith(Api.TASK);
        assertThat(sim.counters().callLog(Api.GETTOKEN)).hasSize(1);
    }

    @Test
    void gapsAfter45009ShowTheClientsBackoff() throws InterruptedException {
        String token = client.token();
        sim.faults().failNext(Api.LIST, Fault.FREQ_LIMIT, 2);
        assertThat(client.call(Api.LIST, token, listQuery(0)).get("errcode").asInt()).isEqualTo(45009);
        Thread.sleep(150);
        assertThat(client.call(Api.LIST, token, listQuery(0)).get("errcode").asInt()).isEqualTo(45009);
        Thread.sleep(300);
        assertThat(client.call(Api.LIST, token, listQuery(0)).get("errcode").asInt()).isZero();

        List<Duration> gaps = sim.counters().gapsAfter(Api.LIST, 45009);
        assertThat(gaps).hasSize(2);
        assertThat(gaps.get(0).toMillis()).isBetween(150L, 1_000L);
        assertThat(gaps.get(1).toMillis()).isBetween(300L, 1_000L);
        assertThat(sim.counters().retryGapsAfter(Api.LIST, 45009)).isEqualTo(gaps);
        assertThat(sim.counters().retryGapsAfter(Api.LIST, Fault.FREQ_LIMIT)).isEqualTo(gaps);
        assertThat(sim.counters().gapsAfter(Api.TASK, 45009)).isEmpty();
    }

    @Test
    void retryGapsFollowTheSameRequestEvenWithANewToken() throws InterruptedException {
        String token = client.token();
        sim.faults().failNext(Api.LIST, Fault.FREQ_LIMIT, 1);
        assertThat(client.call(Api.LIST, token, listQuery(0)).get("errcode").asInt()).isEqualTo(45009);
        client.call(Api.LIST, token, listQuery(1)); // another request in between, e.g. a parallel window
        Thread.sleep(200);
        sim.expireAllTokens();
        client.call(Api.LIST, client.token(), listQuery(0));

        assertThat(sim.counters().gapsAfter(Api.LIST, 45009)).singleElement()
                .satisfies(d -> assertThat(d.toMillis()).isLessThan(200));
        assertThat(sim.counters().retryGapsAfter(Api.LIST, 45009)).singleElement()
                .satisfies(d -> assertThat(d.toMillis()).isGreaterThanOrEqualTo(200));
        List<ApiCall> calls = sim.counters().callLog(Api.LIST);
        assertThat(calls.get(0).sameRequestAs(calls.get(2))).isTrue();
        assertThat(calls.get(0).sameRequestAs(calls.get(1))).isFalse();
    }

    @Test
    void theLogRecordsFaultsErrcodesAndDurations() {
        String token = client.token();
        sim.faults().failNext(Api.LIST, Fault.HTTP_502, 1).failNext(Api.LIST, Fault.RESET, 1)
                .failNext(Api.LIST, Fault.MISSING_FIELDS, 1).failNext(Api.LIST, Fault.SYSTEM_BUSY, 1)
                .failNext(Api.LIST, Fault.TRUNCATED_JSON, 1);
        String q = listQuery(0).toString();
        for (int i = 0; i < 5; i++) {
            try {
                client.post(Api.LIST, token, q);
            } catch (RuntimeException expected) {
                // RESET
            }
        }
        sim.setLatency(Duration.ofMillis(120));
        client.post(Api.LIST, token, q);
        client.post(Api.LIST, "bogus", q);

        List<ApiCall> calls = sim.counters().callLog(Api.LIST);
        assertThat(calls).extracting(ApiCall::fault).containsExactly(Fault.HTTP_502, Fault.RESET, Fault.MISSING_FIELDS,
                Fault.SYSTEM_BUSY, Fault.TRUNCATED_JSON, null, null);
        assertThat(calls).extracting(ApiCall::errcode).containsExactly(null, null, 0, -1, null, 0, 40014);
        assertThat(calls.get(5).duration().toMillis()).isGreaterThanOrEqualTo(120);
        assertThat(calls.get(5).answered(0)).isTrue();
        assertThat(calls).allSatisfy(c -> assertThat(c.endNanos()).isGreaterThanOrEqualTo(c.startNanos()));
        assertThat(sim.counters().callLog(Api.GETTOKEN)).singleElement()
                .satisfies(c -> assertThat(c.errcode()).isZero());
        assertThat(sim.counters().droppedFromCallLog()).isZero();

        sim.counters().reset();
        assertThat(sim.counters().callLog()).isEmpty();
    }

    @Test
    void theLogNamesTheCallerByItsBaseUrlPathAndTheCorp() {
        SimClient replica = new SimClient(sim.baseUrl() + "/replica-1/t7");
        String replicaToken = replica.token();
        replica.call(Api.LIST, replicaToken, listQuery(0));
        client.call(Api.LIST, replicaToken, listQuery(0));
        replica.call(Api.TASK, "bogus", SimClient.body().put("msgid", msgid()));
        replica.getToken("ww-unknown", "x");

        // one corp, one token: the base URL's path is what tells the two clients apart
        assertThat(sim.counters().callLog()).extracting(ApiCall::api, ApiCall::caller, ApiCall::corp).containsExactly(
                tuple(Api.GETTOKEN, "replica-1/t7", WecomSimulator.DEFAULT_CORP_ID),
                tuple(Api.LIST, "replica-1/t7", WecomSimulator.DEFAULT_CORP_ID),
                tuple(Api.LIST, null, WecomSimulator.DEFAULT_CORP_ID),
                tuple(Api.TASK, "replica-1/t7", null),
                tuple(Api.GETTOKEN, "replica-1/t7", "ww-unknown"));
        assertThat(sim.counters().callLog(Api.LIST)).allSatisfy(c -> assertThat(c.answered(0)).isTrue());
    }

    @Test
    void capRejectionsAreLoggedAs45033WithoutAFault() throws Exception {
        try (WecomSimulator capped = WecomSimulator.builder().dataSet(DATA).latency(Duration.ofMillis(300))
                .maxConcurrentRequests(1).build().start()) {
            SimClient c = new SimClient(capped);
            String token = c.token();
            var pool = Executors.newFixedThreadPool(3);
            try {
                var futures = IntStream.range(0, 3)
                        .mapToObj(i -> pool.submit(() -> c.call(Api.LIST, token, listQuery(i)))).toList();
                for (var f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            List<ApiCall> calls = capped.counters().callLog(Api.LIST);
            assertThat(calls).hasSize(3).allSatisfy(call -> assertThat(call.fault()).isNull());
            assertThat(calls.stream().filter(call -> call.answered(45033)).count())
                    .isEqualTo(capped.counters().concurrencyRejections()).isPositive();
        }
    }

    private static ObjectNode listQuery(int i) {
        long from = DATA.startEpochSecond() + i * 86400L;
        return SimClient.listBody("single", from, from + 86400, null, 2, 10);
    }

    private static String msgid() {
        return DATA.groundTruth().messages("single", DATA.startEpochSecond(), DATA.endEpochSecond(), null, 2)
                .findFirst().orElseThrow().get("msgid").asText();
    }
}
