package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.regex.Pattern;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retriable failures (errcodes -1, 45009, 45033, 41063, 6000, a rejected token, HTTP 502/429, a non-JSON body, a reset
 * connection, a slow answer) are repeated with backoff and the export still equals the ground truth; when retries run
 * out the failure is visible and nothing is lost; other errcodes surface with errcode, errmsg and api.
 */
class RetryTest extends SimulatorTestSupport {

    private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9_-]{32,}");

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "SYSTEM_BUSY", "FREQ_LIMIT", "CONCURRENT_LIMIT", "DISPATCHING",
            "DATA_VERSION_CONFLICT", "TOKEN_EXPIRED", "HTTP_502", "HTTP_429", "NON_JSON", "RESET", "SLOW" })
    void retriableFaultIsSurvived(Fault fault) throws Exception {
        simulator.faults().slowDelay(Duration.ofSeconds(2));
        simulator.faults().failNext(null, fault, 3);

        Collector got = exportAll(uri("result", RANGE + "&chatType=group&limit=200&responseTimeout=500ms"));

        ExportAssertions.assertExactly(got.bodies, truth("result", "group"));
        assertThat(simulator.counters().faults(fault)).isEqualTo(3);
    }

    @Test
    void exhaustedRetriesFailWithTheLastErrorAndTheApi() {
        simulator.faults().failNext(Api.LIST, Fault.SYSTEM_BUSY, 10);

        WecomApiException e = failure(uri("list", ONE_PAGE_RANGE + "&maxRetries=2"), null);

        assertThat(e.getErrcode()).isEqualTo(-1);
        assertThat(e.getApi()).isEqualTo("get_groupmsg_list_v2");
        assertThat(e.getMessage()).contains("errcode=-1").contains("system busy").contains("3 attempts");
        assertThat(simulator.counters().calls(Api.LIST)).isEqualTo(3);
    }

    @Test
    void consumerCarriesOnAfterAFailedPoll() throws Exception {
        // more failures than one call may retry: a poll fails, a later one resumes where the last record was
        simulator.faults().failNext(Api.RESULT, Fault.SYSTEM_BUSY, 3);
        simulator.faults().failNext(Api.TASK, Fault.HTTP_502, 2);

        Collector got = exportAll(uri("result", RANGE + "&maxRetries=1&limit=300&concurrency=3"));

        ExportAssertions.assertExactly(got.bodies, truth("result", "single"));
        assertThat(simulator.counters().faults(Fault.SYSTEM_BUSY)).isEqualTo(3);
        assertThat(simulator.counters().faults(Fault.HTTP_502)).isEqualTo(2);
    }

    @Test
    void otherErrcodeSurfacesWithErrcodeErrmsgAndApiButNoSecret() {
        WecomApiException e = failure(uri("task", ONE_PAGE_RANGE), "msg-that-does-not-exist");

        assertThat(e.getErrcode()).isEqualTo(40058);
        assertThat(e.getApi()).isEqualTo("get_groupmsg_task");
        assertThat(e.getErrmsg()).isNotBlank();
        assertThat(e.getMessage()).contains("40058").contains("get_groupmsg_task").doesNotContain(CORP_SECRET);
        assertThat(TOKEN_LIKE.matcher(e.getMessage()).find()).as("no access_token in " + e.getMessage()).isFalse();
        assertThat(simulator.counters().calls(Api.TASK)).as("not retried").isEqualTo(1);
    }
}
