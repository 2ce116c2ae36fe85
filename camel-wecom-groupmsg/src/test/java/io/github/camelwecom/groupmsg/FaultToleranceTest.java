package io.github.camelwecom.groupmsg;

import java.time.Duration;

import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything at once, by chance: every fault kind, at least 10 % of calls combined, tokens that live a few seconds, a
 * server that allows fewer requests at once than the endpoint sends, answers slower than the response timeout. The
 * export still equals the ground truth: nothing missing, nothing twice.
 */
class FaultToleranceTest extends SimulatorTestSupport {

    private static final Fault[] ALL = { Fault.SYSTEM_BUSY, Fault.FREQ_LIMIT, Fault.CONCURRENT_LIMIT,
            Fault.DISPATCHING, Fault.DATA_VERSION_CONFLICT, Fault.TOKEN_EXPIRED, Fault.INVALID_CURSOR, Fault.HTTP_502,
            Fault.HTTP_429, Fault.NON_JSON, Fault.RESET, Fault.SLOW };

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "list,group,limit=1", "task,single,limit=1", "result,single,limit=40" })
    void exportUnderFaultsEqualsTheGroundTruth(String api, String chatType, String limit) throws Exception {
        simulator.faults().seed(7);
        for (Fault fault : ALL) {
            simulator.faults().probability(fault, 0.012);
            simulator.faults().failNext(null, fault, 1); // every kind at least once, whatever chance does
        }
        simulator.faults().slowDelay(Duration.ofMillis(800));
        simulator.setTokenTtl(Duration.ofSeconds(2));
        simulator.setMaxConcurrentRequests(2);
        simulator.setLatency(Duration.ofMillis(2));
        try {
            Collector got = exportAll(uri(api, RANGE + "&chatType=" + chatType + "&" + limit
                    + "&concurrency=4&maxRetries=4&responseTimeout=300ms"));

            ExportAssertions.assertExactly(got.bodies, truth(api, chatType));
            long calls = simulator.counters().calls(Api.LIST) + simulator.counters().calls(Api.TASK)
                    + simulator.counters().calls(Api.RESULT);
            long faults = simulator.counters().totalFaults() + simulator.counters().concurrencyRejections();
            System.out.printf("fault soak %s %s: %d records, %d API calls, %d faults injected (%.1f %%), "
                    + "%d concurrency rejections, %d tokens%n", api, chatType, got.size(), calls, faults,
                    100.0 * faults / calls, simulator.counters().concurrencyRejections(),
                    simulator.counters().tokensIssued());
            assertThat(faults).as("faults injected").isGreaterThanOrEqualTo(calls / 10);
            for (Fault fault : ALL) {
                assertThat(simulator.counters().faults(fault)).as(fault + " injected").isPositive();
            }
        } finally {
            simulator.setMaxConcurrentRequests(0);
        }
    }

    @Test
    void concurrencyCapBelowTheEndpointsConcurrencyIsSurvived() throws Exception {
        simulator.setMaxConcurrentRequests(1);
        simulator.setLatency(Duration.ofMillis(3));
        try {
            Collector got = exportAll(uri("result", RANGE + "&limit=200&concurrency=8"));

            ExportAssertions.assertExactly(got.bodies, truth("result", "single"));
            assertThat(simulator.counters().concurrencyRejections()).isPositive();
        } finally {
            simulator.setMaxConcurrentRequests(0);
        }
    }
}
