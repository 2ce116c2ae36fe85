package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.List;

import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * maxRequestsPerSecond holds, as the simulator counts calls, even with concurrent fan-out; after 45009 (api freq out of
 * limit) the client waits before asking again, longer each time, instead of hammering.
 */
class RateLimitTest extends SimulatorTestSupport {

    @Test
    void maxRequestsPerSecondHolds() throws Exception {
        Collector got = exportAll(uri("result", RANGE + "&limit=200&concurrency=8&maxRequestsPerSecond=25"));

        ExportAssertions.assertExactly(got.bodies, truth("result", "single"));
        List<Api> apis = List.of(Api.LIST, Api.TASK, Api.RESULT);
        long calls = apis.stream().mapToLong(simulator.counters()::calls).sum();
        long busiestSecond = simulator.counters().maxCallsInAnyWindow(apis, Duration.ofSeconds(1));
        System.out.printf("rate limit 25/s: %d calls, at most %d in any second%n", calls, busiestSecond);
        assertThat(calls).as("enough calls to measure").isGreaterThan(40);
        // exact at the server however late the threads send: a request counts until a second after its answer
        assertThat(busiestSecond).isLessThanOrEqualTo(25);
    }

    @Test
    void freqLimitIsFollowedByGrowingPauses() throws Exception {
        simulator.faults().failNext(Api.LIST, Fault.FREQ_LIMIT, 3);

        // one call at a time, so the three 45009 answers hit the same call and its retries
        Collector got = exportAll(uri("list", RANGE + "&concurrency=1").replace("retryDelay=10ms&maxRetryDelay=50ms",
                "retryDelay=200ms&maxRetryDelay=5s"));

        ExportAssertions.assertExactly(got.bodies, truth("list", "single"));
        List<Duration> gaps = simulator.counters().retryGapsAfter(Api.LIST, Fault.FREQ_LIMIT);
        System.out.println("pauses after 45009: " + gaps);
        assertThat(gaps).hasSize(3);
        // retryDelay doubled per retry, less at most 10 % for jitter: 180, 360, 720 ms at least
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(180));
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(360));
        assertThat(gaps.get(2)).isGreaterThanOrEqualTo(Duration.ofMillis(720));
    }
}
