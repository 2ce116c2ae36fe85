package io.github.camelwecom.groupmsg;

import java.time.Duration;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access_token: fetched once per corp and shared by endpoints, refreshed when it expires mid-export and when
 * WeCom rejects it, and a wrong corpId or secret reported clearly without retrying.
 */
class TokenTest extends SimulatorTestSupport {

    @Test
    void oneTokenForEveryEndpointOfTheCorp() throws Exception {
        Collector list = exportAll(uri("list", RANGE));
        Collector tasks = exportAll(uri("task", RANGE + "&chatType=group&limit=3"));
        Collector results = exportAll(uri("result", RANGE + "&concurrency=8"));

        ExportAssertions.assertExactly(list.bodies, truth("list", "single"));
        ExportAssertions.assertExactly(tasks.bodies, truth("task", "group"));
        ExportAssertions.assertExactly(results.bodies, truth("result", "single"));
        assertThat(simulator.counters().tokensIssued()).isEqualTo(1);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(1);
    }

    @Test
    void tokenExpiringWhilePagingIsRefreshed() throws Exception {
        simulator.setTokenTtl(Duration.ofSeconds(1));
        simulator.setLatency(Duration.ofMillis(15));

        Collector got = exportAll(uri("result", RANGE + "&limit=100&concurrency=2"));

        ExportAssertions.assertExactly(got.bodies, truth("result", "single"));
        assertThat(simulator.counters().tokensIssued()).as("tokens issued during a multi-second export")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void rejectedTokenIsReplacedAndTheCallRepeated() throws Exception {
        simulator.faults().failNext(Api.RESULT, Fault.TOKEN_EXPIRED, 3);

        Collector got = exportAll(uri("result", RANGE + "&chatType=group&concurrency=1"));

        ExportAssertions.assertExactly(got.bodies, truth("result", "group"));
        assertThat(simulator.counters().faults(Fault.TOKEN_EXPIRED)).isEqualTo(3);
        // one refresh per rejection at most; fewer when the task read ahead had the same token rejected and both
        // callers shared one refresh
        assertThat(simulator.counters().tokensIssued()).isBetween(2L, 4L);
    }

    @Test
    void wrongSecretIsAClearErrorAndNotRetried() {
        String wrongSecret = "not-the-secret-0123456789";
        String endpoint = uri("list", ONE_PAGE_RANGE).replace(CORP_SECRET, wrongSecret);

        WecomApiException e = failure(endpoint);

        assertThat(e.getErrcode()).isEqualTo(40001);
        assertThat(e.getApi()).isEqualTo("gettoken");
        assertThat(e.getMessage()).contains("40001").contains("corpSecret").doesNotContain(wrongSecret);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(1);
        assertThat(simulator.counters().calls(Api.LIST)).isZero();
    }

    @Test
    void wrongCorpIsAClearErrorAndNotRetried() {
        WecomApiException e = failure(uri("list", ONE_PAGE_RANGE).replace("corpId=" + CORP_ID, "corpId=ww-nobody"));

        assertThat(e.getErrcode()).isEqualTo(40013);
        assertThat(e.getMessage()).contains("40013").contains("ww-nobody").doesNotContain(CORP_SECRET);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(1);
    }

    private WecomApiException failure(String endpoint) {
        Exchange result = template.request(endpoint,
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));
        assertThat(result.getException()).isInstanceOf(WecomApiException.class);
        return (WecomApiException) result.getException();
    }
}
