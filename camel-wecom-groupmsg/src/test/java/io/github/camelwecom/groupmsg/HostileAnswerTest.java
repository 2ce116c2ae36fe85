package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.ApiCall;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a broken server or proxy may answer: truncated JSON, wrong field types, an empty body, a 404 page, a 10 MB body,
 * no answer at all, headers and half a body and then silence. Each is retried or a clear error; nothing hangs, nothing
 * is lost, the CamelContext lives on. errcode 0 without records and next_cursor is no such answer: it is an empty last
 * page.
 */
class HostileAnswerTest extends SimulatorTestSupport {

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "TRUNCATED_JSON", "WRONG_TYPES", "EMPTY_BODY", "NO_ANSWER",
            "HUGE_BODY", "STALLED_BODY" })
    void garbledAnswersAreSurvived(Fault fault) throws Exception {
        simulator.faults().failNext(null, fault, 3);

        Collector got = exportAll(uri("result", RANGE + "&chatType=group&limit=3&responseTimeout=400ms"));

        ExportAssertions.assertExactly(got.bodies, truth("result", "group"));
        assertThat(simulator.counters().faults(fault)).isEqualTo(3);
        assertThat(context.getStatus()).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void answerWithoutRecordsEndsItsSequenceAsAnEmptyLastPage() throws Exception {
        // a message whose members have several pages of 3 send results each; one request at a time
        String msgid = truth("task", "single").map(t -> t.get("msgid").asText()).distinct()
                .filter(m -> DATA.groundTruth().tasks(m).filter(t -> DATA.groundTruth()
                        .countResults(m, t.get("userid").asText()) > 3).count() > 1)
                .findFirst().orElseThrow();
        simulator.faults().failNext(Api.RESULT, Fault.MISSING_FIELDS, 1);

        Collector got = exportAll(uri("result", RANGE + "&msgid=" + msgid + "&limit=3&concurrency=1"));

        // {"errcode":0,"errmsg":"ok"} ended one member's results at their first page: none of them, every other
        // member's, in order (which member's call came first is the fan-out's choice)
        Set<String> members = new HashSet<>();
        ExportAssertions.json(got.bodies).forEach(r -> members.add(r.get("userid").asText()));
        List<String> cut = DATA.groundTruth().tasks(msgid).map(t -> t.get("userid").asText())
                .filter(u -> DATA.groundTruth().countResults(msgid, u) > 0).filter(u -> !members.contains(u))
                .toList();
        assertThat(cut).hasSize(1);
        ExportAssertions.assertExactly(got.bodies, DATA.groundTruth().results(msgid)
                .filter(r -> !r.get("userid").asText().equals(cut.get(0))));
        List<ApiCall> calls = simulator.counters().callLog(Api.RESULT);
        assertThat(calls.get(0).fault()).isEqualTo(Fault.MISSING_FIELDS);
        assertThat(simulator.counters().faults(Fault.MISSING_FIELDS)).isEqualTo(1);
        assertThat(calls).as("no send-result call was repeated")
                .allMatch(c -> calls.stream().filter(c::sameRequestAs).count() == 1);
        // one call for the cut member instead of its pages; the other members' pages as usual
        long otherPages = DATA.groundTruth().tasks(msgid).map(t -> t.get("userid").asText())
                .filter(u -> !u.equals(cut.get(0)))
                .mapToLong(u -> pagesOf3(DATA.groundTruth().countResults(msgid, u))).sum();
        assertThat(calls).hasSize((int) (1 + otherPages));
    }

    /** A first list page with the default timeouts, which also fetches the endpoints' shared token. */
    private List<?> onePageWithTheToken() {
        Exchange page = template.request(uri("list", ONE_PAGE_RANGE),
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));
        assertThat(page.getException()).isNull();
        return page.getMessage().getBody(List.class);
    }

    private static long pagesOf3(long records) {
        return Math.max(1, (records + 2) / 3);
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
        onePageWithTheToken(); // the short timeout below is for the list call, not a gettoken on a busy machine
        simulator.faults().failNext(Api.LIST, Fault.NO_ANSWER, 1);
        long start = System.nanoTime();

        Exchange failed = template.request(uri("list", ONE_PAGE_RANGE + "&maxRetries=0&responseTimeout=300ms"),
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(failed.getException()).isInstanceOf(WecomApiException.class)
                .hasMessageContaining("get_groupmsg_list_v2");
        assertThat(onePageWithTheToken()).isNotEmpty();
    }

    @Test
    void serverThatStallsMidBodyTimesOutAndTheNextCallWorks() {
        // headers and half the body arrive at once: only the body's own deadline can end this wait
        onePageWithTheToken(); // the short timeout below is for the list call, not a gettoken on a busy machine
        simulator.faults().failNext(Api.LIST, Fault.STALLED_BODY, 1);
        long start = System.nanoTime();

        Exchange failed = template.request(uri("list", ONE_PAGE_RANGE + "&maxRetries=0&responseTimeout=300ms"),
                exchange -> exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(10)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(failed.getException()).isInstanceOf(WecomApiException.class)
                .hasMessageContaining("get_groupmsg_list_v2");
        assertThat(simulator.counters().faults(Fault.STALLED_BODY)).isEqualTo(1);
        assertThat(onePageWithTheToken()).isNotEmpty();
    }
}
