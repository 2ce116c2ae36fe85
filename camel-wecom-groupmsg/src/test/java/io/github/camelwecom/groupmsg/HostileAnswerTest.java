package io.github.camelwecom.groupmsg;

import java.time.Duration;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a broken server or proxy may answer: truncated JSON, wrong field types, missing fields, an empty body, a 404
 * page, a 10 MB body, no answer at all, headers and half a body and then silence. Each is retried or a clear error;
 * nothing hangs, nothing is lost, the CamelContext lives on.
 */
class HostileAnswerTest extends SimulatorTestSupport {

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "TRUNCATED_JSON", "WRONG_TYPES", "MISSING_FIELDS", "EMPTY_BODY",
            "NO_ANSWER", "HUGE_BODY", "STALLED_BODY" })
    void garbledAnswersAreSurvived(Fault fault) throws Exception {
        simulator.faults().failNext(null, fault, 3);

        Collector got = exportAll(uri("result", RANGE + "&chatType=group&limit=3&responseTimeout=400ms"));

        ExportAssertions.assertExactly(got.bodies, truth("result", "group"));
        assertThat(simulator.counters().faults(fault)).isEqualTo(3);
        assertThat(context.getStatus()).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void notFoundIsAClearErrorNotARetry() {
        simulator.faults().failNext(Api.LIST, Fault.HTTP_404, 1);

        Exchange result = template.request(uri("list", ONE_PAGE_RANGE),
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));

        assertThat(result.getException()).isInstanceOf(WecomApiException.class)
                .hasMessageContaining("get_groupmsg_list_v2").hasMessageContaining("HTTP status 404");
        assertThat(simulator.counters().calls(Api.LIST)).isEqualTo(1);
    }

    @Test
    void hugeBodyIsCutOffAndNotCopiedIntoTheError() {
        simulator.faults().failNext(Api.LIST, Fault.HUGE_BODY, 1);

        Exchange result = template.request(uri("list", ONE_PAGE_RANGE + "&maxRetries=0"),
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));

        assertThat(result.getException()).isInstanceOf(WecomApiException.class);
        assertThat(result.getException().getMessage()).hasSizeLessThan(500).contains("larger than");
    }

    @Test
    void serverThatNeverAnswersTimesOutAndTheNextCallWorks() {
        simulator.faults().failNext(Api.LIST, Fault.NO_ANSWER, 1);
        long start = System.nanoTime();

        Exchange failed = template.request(uri("list", ONE_PAGE_RANGE + "&maxRetries=0&responseTimeout=300ms"),
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(failed.getException()).isInstanceOf(WecomApiException.class)
                .hasMessageContaining("get_groupmsg_list_v2");
        Exchange next = template.request(uri("list", ONE_PAGE_RANGE + "&responseTimeout=300ms"),
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));
        assertThat(next.getException()).isNull();
        assertThat(next.getMessage().getBody(java.util.List.class)).isNotEmpty();
    }

    @Test
    void serverThatStallsMidBodyTimesOutAndTheNextCallWorks() {
        // headers and half the body arrive at once: only the body's own deadline can end this wait
        simulator.faults().failNext(Api.LIST, Fault.STALLED_BODY, 1);
        long start = System.nanoTime();

        Exchange failed = template.request(uri("list", ONE_PAGE_RANGE + "&maxRetries=0&responseTimeout=300ms"),
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(10)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(failed.getException()).isInstanceOf(WecomApiException.class)
                .hasMessageContaining("get_groupmsg_list_v2");
        assertThat(simulator.counters().faults(Fault.STALLED_BODY)).isEqualTo(1);
        Exchange next = template.request(uri("list", ONE_PAGE_RANGE + "&responseTimeout=300ms"),
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));
        assertThat(next.getException()).isNull();
        assertThat(next.getMessage().getBody(java.util.List.class)).isNotEmpty();
    }
}
