package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.ExceptionHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access_token: fetched once per corp and shared by endpoints, refreshed when it expires mid-export and when WeCom
 * rejects it, and a wrong corpId or secret reported clearly without retrying, nor asking again poll after poll.
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

    @Test
    void wrongSecretIsNotAskedAgainPollAfterPollUntilTheBackoffHasPassed() throws Exception {
        long start = Instant.parse("2025-10-01T00:00:00Z").getEpochSecond();
        MovableClock clock = new MovableClock(start);
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        context.getRegistry().bind("failures", new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                failures.add(exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                failures.add(exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                failures.add(exception);
            }
        });
        String wrongSecret = "not-the-secret-0123456789";
        // one list window: one thread asks for the token, so the first poll meets the refusal itself
        String endpoint = uri("list", ONE_PAGE_RANGE + "&startScheduler=false&exceptionHandler=#failures")
                .replace(CORP_SECRET, wrongSecret);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("wrong-secret").to("mock:never");
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("wrong-secret").getConsumer();

        for (int poll = 0; poll < 20; poll++) {
            SimulatorTestSupport.runPolls(consumer);
            clock.advance(Duration.ofSeconds(2)); // 20 polls within 40 s: inside the first minute
        }

        assertThat(simulator.counters().calls(Api.GETTOKEN)).as("gettoken calls in 20 polls").isEqualTo(1);
        assertThat(failures).hasSize(20).allSatisfy(f -> {
            assertThat(f).isInstanceOf(WecomApiException.class);
            assertThat(((WecomApiException) f).getErrcode()).isEqualTo(40001);
            assertThat(((WecomApiException) f).getApi()).isEqualTo("gettoken");
            assertThat(f.getMessage()).contains("corpSecret").doesNotContain(wrongSecret);
        });
        String refusedAt = Instant.ofEpochSecond(start).toString();
        String nextAttempt = Instant.ofEpochSecond(start + 60).toString();
        assertThat(failures.get(0).getMessage()).doesNotContain("not asked again");
        assertThat(failures.get(19).getMessage()).contains("refused at " + refusedAt)
                .contains("not asked again before " + nextAttempt).contains("block this server's IP");

        clock.set(start + 59);
        SimulatorTestSupport.runPolls(consumer);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).as("gettoken calls at 59 s").isEqualTo(1);
        clock.set(start + 60);
        SimulatorTestSupport.runPolls(consumer);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).as("gettoken calls at 60 s").isEqualTo(2);
        for (int poll = 0; poll < 10; poll++) {
            SimulatorTestSupport.runPolls(consumer);
        }
        // refused again: twice as long
        assertThat(simulator.counters().calls(Api.GETTOKEN)).as("gettoken calls after the 2nd refusal").isEqualTo(2);
        assertThat(failures.get(failures.size() - 1).getMessage())
                .contains("not asked again before " + Instant.ofEpochSecond(start + 60 + 120));
        assertThat(simulator.counters().calls(Api.LIST)).isZero();
    }

    private WecomApiException failure(String endpoint) {
        Exchange result = template.request(endpoint,
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));
        assertThat(result.getException()).isInstanceOf(WecomApiException.class);
        return (WecomApiException) result.getException();
    }
}
