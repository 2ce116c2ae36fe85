package io.github.camelwecom.groupmsg;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.client.ChatType;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import io.github.camelwecom.groupmsg.simulator.Api;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The producer: a lazy Iterator over every record that {@code split(body()).streaming()} walks, input headers that
 * override the endpoint's options, single pages with {@code CamelWecomGroupMsgCursor}, and pages fetched only as the
 * iterator is consumed.
 */
class ProducerTest extends SimulatorTestSupport {

    /** The member with the most customers: its send results take several pages at a small limit. */
    static final String BIG_MEMBER = DATA.userids().stream().max(Comparator.comparingInt(DATA::customerCount))
            .orElseThrow();
    /** A single-chat message that has a task for {@link #BIG_MEMBER}. */
    static final String BIG_MSGID = DATA.groundTruth().tasks("single", RANGE_START, RANGE_END, null, 2)
            .filter(t -> BIG_MEMBER.equals(t.get("userid").asText())).findFirst().orElseThrow()
            .get("msgid").asText();
    /** The single-chat message with the most tasks (members). */
    static final String MULTI_TASK_MSGID = DATA.groundTruth().messages("single", RANGE_START, RANGE_END, null, 2)
            .map(m -> m.get("msgid").asText()).max(Comparator.comparingLong(DATA.groundTruth()::countTasks))
            .orElseThrow();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "list,single", "list,group", "task,single", "task,group", "result,single", "result,group" })
    void bodyIsALazyIteratorThatSplitStreamingWalksToTheGroundTruth(String api, String chatType) throws Exception {
        Exchange direct = template.request(uri(api, RANGE + "&chatType=" + chatType), e -> {
        });
        assertThat(direct.getException()).isNull();
        Object body = direct.getMessage().getBody();
        assertThat(body).isInstanceOf(Iterator.class).isNotInstanceOf(Collection.class);
        ((Closeable) body).close();
        assertThat(direct.getMessage().getHeaders()).containsEntry(WecomGroupMsgConstants.API, api)
                .containsEntry(WecomGroupMsgConstants.CHAT_TYPE, chatType)
                .containsEntry(WecomGroupMsgConstants.START_TIME, RANGE_START)
                .containsEntry(WecomGroupMsgConstants.END_TIME, RANGE_END);

        List<Object> got = split(uri(api, RANGE + "&chatType=" + chatType), Map.of());

        ExportAssertions.assertExactly(got, truth(api, chatType));
        Class<?> bodyType = switch (api) {
            case "list" -> GroupMsg.class;
            case "task" -> GroupMsgTask.class;
            default -> GroupMsgSendResult.class;
        };
        assertThat(got).allMatch(bodyType::isInstance);
    }

    @Test
    void timeHeadersOverrideStartTimeAndEndTime() throws Exception {
        long octStart = epoch("2025-10-01");
        long octEnd = epoch("2025-11-01") - 1;

        List<Object> asText = split(uri("list", RANGE), Map.of(WecomGroupMsgConstants.START_TIME, "2025-10-01",
                WecomGroupMsgConstants.END_TIME, "2025-10-31T23:59:59"));
        ExportAssertions.assertExactly(asText, DATA.groundTruth().messages("single", octStart, octEnd, null, 2));

        List<Object> asEpoch = split(uri("task", RANGE + "&chatType=group"),
                Map.of(WecomGroupMsgConstants.START_TIME, octStart, WecomGroupMsgConstants.END_TIME, octEnd));
        ExportAssertions.assertExactly(asEpoch, DATA.groundTruth().tasks("group", octStart, octEnd, null, 2));
        assertThat(asEpoch.size()).as("a sub-range, not everything")
                .isLessThan((int) DATA.groundTruth().countTasks("group", RANGE_START, RANGE_END, null, 2));
    }

    @Test
    void chatTypeHeaderOverridesTheOption() throws Exception {
        List<Object> got = split(uri("list", RANGE + "&chatType=single"),
                Map.of(WecomGroupMsgConstants.CHAT_TYPE, "group"));

        ExportAssertions.assertExactly(got, truth("list", "group"));
    }

    @Test
    void apiHeaderDoesNotOverrideTheEndpointsApi() throws Exception {
        List<Object> got = split(uri("list", RANGE + "&chatType=group"), Map.of(WecomGroupMsgConstants.API, "result"));

        ExportAssertions.assertExactly(got, truth("list", "group"));
        assertThat(got).allMatch(GroupMsg.class::isInstance);
    }

    @Test
    void msgidHeaderMakesATaskExportReturnThatMessagesTasks() throws Exception {
        String otherMsgid = DATA.groundTruth().messages("single", RANGE_START, RANGE_END, null, 2).findFirst()
                .orElseThrow().get("msgid").asText();

        // the header wins over the endpoint's own msgid, and a named message is read whatever chatType says
        List<Object> got = split(uri("task", RANGE + "&chatType=group&msgid=" + otherMsgid),
                Map.of(WecomGroupMsgConstants.MSG_ID, MULTI_TASK_MSGID));

        ExportAssertions.assertExactly(got, DATA.groundTruth().tasks(MULTI_TASK_MSGID));
        assertThat(simulator.counters().calls(Api.LIST)).as("a named message is not listed").isZero();
    }

    @Test
    void msgidAndUseridHeadersMakeAResultExportReturnThatMembersResults() throws Exception {
        String otherUser = DATA.userids().stream().filter(u -> !u.equals(BIG_MEMBER)).findFirst().orElseThrow();
        Map<String, Object> headers = Map.of(WecomGroupMsgConstants.MSG_ID, BIG_MSGID,
                WecomGroupMsgConstants.USER_ID, BIG_MEMBER);

        List<Object> got = split(
                uri("result", RANGE + "&limit=100&msgid=" + MULTI_TASK_MSGID + "&userid=" + otherUser), headers);

        ExportAssertions.assertExactly(got, DATA.groundTruth().results(BIG_MSGID, BIG_MEMBER));
        assertThat(got.size()).as("several pages of 100").isGreaterThan(100);
        assertThat(simulator.counters().calls(Api.TASK)).as("a named member needs no task list").isZero();
    }

    @Test
    void msgidHeaderAloneMakesAResultExportReturnEveryResultOfThatMessage() throws Exception {
        List<Object> got = split(uri("result", RANGE), Map.of(WecomGroupMsgConstants.MSG_ID, MULTI_TASK_MSGID));

        ExportAssertions.assertExactly(got, DATA.groundTruth().results(MULTI_TASK_MSGID));
    }

    @Test
    void cursorHeaderReturnsExactlyOnePageAndTheNextCursor() {
        long start = epoch("2025-09-01");
        long end = epoch("2025-09-20");
        List<ObjectNode> expected = DATA.groundTruth().messages("single", start, end, null, 2).toList();
        assertThat(expected).as("enough messages for two pages of 2").hasSizeGreaterThan(2);

        Exchange first = template.request(uri("list", ONE_PAGE_RANGE + "&limit=2"),
                e -> e.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));

        assertThat(first.getException()).isNull();
        Object body = first.getMessage().getBody();
        assertThat(body).isInstanceOf(List.class);
        ExportAssertions.assertExactly((List<?>) body, expected.stream().limit(2));
        assertThat((List<?>) body).allMatch(GroupMsg.class::isInstance);
        String next = first.getMessage().getHeader(WecomGroupMsgConstants.CURSOR, String.class);
        assertThat(next).as("more pages follow").isNotEmpty();
        assertThat(simulator.counters().calls(Api.LIST)).as("exactly one page fetched").isEqualTo(1);
    }

    @Test
    void walkingListPagesByCursorYieldsTheGroundTruth() {
        Map<String, Object> headers = Map.of(WecomGroupMsgConstants.START_TIME, "2025-11-01",
                WecomGroupMsgConstants.END_TIME, "2025-11-30T23:59:59", WecomGroupMsgConstants.CHAT_TYPE, "group");
        Walk walk = walkPages(uri("list", RANGE + "&limit=2"), headers);

        ExportAssertions.assertExactly(walk.records,
                DATA.groundTruth().messages("group", epoch("2025-11-01"), epoch("2025-12-01") - 1, null, 2));
        assertThat(walk.pages).isGreaterThan(1).isEqualTo((walk.records.size() + 1) / 2);
        assertThat(simulator.counters().calls(Api.LIST)).isEqualTo(walk.pages);
    }

    @Test
    void walkingTaskPagesByCursorYieldsTheGroundTruth() {
        long tasks = DATA.groundTruth().countTasks(MULTI_TASK_MSGID);
        Walk walk = walkPages(uri("task", "limit=1&msgid=" + MULTI_TASK_MSGID), Map.of());

        ExportAssertions.assertExactly(walk.records, DATA.groundTruth().tasks(MULTI_TASK_MSGID));
        assertThat(walk.pages).isEqualTo(tasks).isGreaterThan(1);
        assertThat(walk.records).allMatch(GroupMsgTask.class::isInstance);
    }

    @Test
    void walkingResultPagesByCursorYieldsTheGroundTruth() {
        long results = DATA.groundTruth().countResults(BIG_MSGID, BIG_MEMBER);
        Walk walk = walkPages(uri("result", "limit=250"),
                Map.of(WecomGroupMsgConstants.MSG_ID, BIG_MSGID, WecomGroupMsgConstants.USER_ID, BIG_MEMBER));

        ExportAssertions.assertExactly(walk.records, DATA.groundTruth().results(BIG_MSGID, BIG_MEMBER));
        assertThat(walk.pages).isEqualTo((results + 249) / 250).isGreaterThan(1);
        assertThat(walk.records).allMatch(GroupMsgSendResult.class::isInstance);
    }

    /** header, its value, the endpoint's api, and what the error must say is allowed. */
    static Stream<Arguments> wrongHeaders() {
        return Stream.of(
                arguments(WecomGroupMsgConstants.CHAT_TYPE, "private", "list", "single or group"),
                arguments(WecomGroupMsgConstants.MSG_ID, MULTI_TASK_MSGID, "list", "only with task or result"),
                arguments(WecomGroupMsgConstants.USER_ID, BIG_MEMBER, "task", "only with result"),
                arguments(WecomGroupMsgConstants.START_TIME, "yesterday", "list", "epoch seconds"),
                arguments(WecomGroupMsgConstants.END_TIME, "2024-01-01", "result", "not before "
                        + WecomGroupMsgConstants.START_TIME));
    }

    @ParameterizedTest(name = "{0}={1} on {2}")
    @MethodSource("wrongHeaders")
    void aWrongHeaderFailsAsClearlyAsAWrongOptionAndCallsNothing(String header, Object value, String api,
            String allowed) {
        Exchange result = template.request(uri(api, RANGE), e -> e.getMessage().setHeader(header, value));

        assertThat(result.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid header " + header + "=" + value + ": ")
                .hasMessageContaining(allowed);
        assertThat(groupMsgCalls()).isZero();
    }

    @Test
    void headersAreConvertedWithCamelsTypeConverters() throws Exception {
        List<Object> got = split(uri("list", RANGE), Map.of(WecomGroupMsgConstants.CHAT_TYPE,
                new StringBuilder("GROUP"), WecomGroupMsgConstants.START_TIME, new StringBuilder("2025-10-01")));

        ExportAssertions.assertExactly(got, DATA.groundTruth().messages("group",
                TimeSpec.parse("2025-10-01", ZoneId.of("Asia/Shanghai"), Clock.systemUTC()), RANGE_END, null, 2));
    }

    @Test
    void anEndpointGivenANewConfigurationReadsWithIt() throws Exception {
        String uri = uri("list", RANGE);
        WecomGroupMsgEndpoint endpoint = context.getEndpoint(uri, WecomGroupMsgEndpoint.class);
        assertThat(split(uri, Map.of())).hasSize((int) truth("list", "single").count());

        WecomGroupMsgConfiguration changed = endpoint.getConfiguration().copy();
        changed.setChatType(ChatType.GROUP);
        endpoint.setConfiguration(changed);

        ExportAssertions.assertExactly(split(uri, Map.of()), truth("list", "group"));
    }

    @Test
    void onePageOfTaskWithoutMsgidFailsNamingMsgid() {
        Exchange result = template.request(uri("task", RANGE),
                e -> e.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));

        assertThat(result.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("msgid").hasMessageContaining(WecomGroupMsgConstants.MSG_ID);
        assertThat(simulator.counters().calls(Api.TASK)).isZero();
    }

    @Test
    void onePageOfResultWithoutUseridFailsNamingUserid() {
        Exchange result = template.request(uri("result", RANGE), e -> {
            e.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, "");
            e.getMessage().setHeader(WecomGroupMsgConstants.MSG_ID, MULTI_TASK_MSGID);
        });

        assertThat(result.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userid").hasMessageContaining(WecomGroupMsgConstants.USER_ID);
        assertThat(simulator.counters().calls(Api.RESULT)).isZero();
    }

    @Test
    void listIteratorFetchesPagesOnlyAsConsumed() throws Exception {
        long messages = DATA.groundTruth().countMessages("single", RANGE_START, RANGE_END, null, 2);
        Exchange exchange = template.request(uri("list", RANGE + "&limit=2&concurrency=1"), e -> {
        });
        Iterator<?> it = exchange.getMessage().getBody(Iterator.class);
        assertThat(simulator.counters().calls(Api.LIST)).as("nothing fetched before the iterator is used").isZero();

        Object first = it.next();
        awaitNoMoreCalls();

        // the page being read, one queued and one waiting for room
        assertThat(simulator.counters().calls(Api.LIST)).as("pages read ahead").isBetween(1L, 3L);
        List<Object> all = new ArrayList<>(List.of(first));
        it.forEachRemaining(all::add);
        ExportAssertions.assertExactly(all, truth("list", "single"));
        assertThat(simulator.counters().calls(Api.LIST)).as("a full export reads every page of every window")
                .isGreaterThanOrEqualTo(messages / 2);
    }

    @ParameterizedTest(name = "concurrency {0}")
    @CsvSource({ "1", "4" })
    void resultIteratorFetchesPagesOnlyAsConsumed(int concurrency) throws Exception {
        Exchange exchange = template.request(uri("result", RANGE + "&limit=10&concurrency=" + concurrency), e -> {
        });
        Iterator<?> it = exchange.getMessage().getBody(Iterator.class);

        Object first = it.next();
        // read-ahead is bounded: the calls stop while the caller reads nothing
        awaitNoMoreCalls();
        long afterFirst = groupMsgCalls();

        List<Object> all = new ArrayList<>(List.of(first));
        it.forEachRemaining(all::add);
        ExportAssertions.assertExactly(all, truth("result", "single"));
        long full = groupMsgCalls();
        // at most three pages per parent held: concurrency windows, 4 x concurrency messages and as many members
        assertThat(afterFirst).as("calls after the first record (%s), of %s for the full export", afterFirst, full)
                .isLessThanOrEqualTo(3L * 9 * concurrency).isLessThan(full / 5);
    }

    @Test
    void closingTheIteratorEarlyStopsFetching() throws Exception {
        Exchange exchange = template.request(uri("result", RANGE + "&limit=10&concurrency=4"), e -> {
        });
        Iterator<?> it = exchange.getMessage().getBody(Iterator.class);
        it.next();
        ThreadPoolExecutor fanOut = (ThreadPoolExecutor) context.getComponent("wecom-groupmsg",
                WecomGroupMsgComponent.class).getFanOutExecutor();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fanOut.getActiveCount() > 0);

        ((Closeable) it).close();

        // the readers give up their held pages instead of waiting for room forever
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fanOut.getActiveCount() == 0);
        long afterClose = groupMsgCalls();
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .until(() -> groupMsgCalls() == afterClose);
    }

    /** Waits until no call has come for 300 ms. */
    private static void awaitNoMoreCalls() {
        AtomicLong last = new AtomicLong(-1);
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(30))
                .until(() -> {
                    long calls = groupMsgCalls();
                    return last.getAndSet(calls) == calls;
                });
    }

    /**
     * The everyday chain: list the messages, then read each one's tasks. The split records inherit the headers the list
     * producer set on its output, CamelWecomGroupMsgApi=list among them; they must not turn the task endpoint into a
     * list endpoint.
     */
    @Test
    void producerChainListThenTasksPerMessageYieldsTheTasks() throws Exception {
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chain").to(uri("list", RANGE)).split(body()).streaming()
                        .setHeader(WecomGroupMsgConstants.MSG_ID, simple("${body.msgid}"))
                        .to(uri("task", ""))
                        .split(body()).process(e -> got.add(e.getMessage().getBody()));
            }
        });

        template.sendBody("direct:chain", null);

        assertThat(got).as("tasks, not the list records the inherited header CamelWecomGroupMsgApi=list selects")
                .allMatch(GroupMsgTask.class::isInstance);
        ExportAssertions.assertExactly(got, truth("task", "single"));
    }

    /** The same chain from a list consumer, whose records carry CamelWecomGroupMsgMsgId (and Api=list). */
    @Test
    void consumerChainListThenTasksPerMessageYieldsTheTasks() throws Exception {
        Collector got = new Collector();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("list", RANGE)).routeId("chain").to(uri("task", "")).split(body()).process(got::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("chain").getConsumer();
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "export did not finish");

        assertThat(got.bodies).as("tasks, not the list records the consumer's header CamelWecomGroupMsgApi=list "
                + "selects").allMatch(GroupMsgTask.class::isInstance);
        ExportAssertions.assertExactly(got.bodies, truth("task", "single"));
    }

    // ---- helpers ----

    private static long groupMsgCalls() {
        return simulator.counters().calls(Api.LIST) + simulator.counters().calls(Api.TASK)
                + simulator.counters().calls(Api.RESULT);
    }

    private static long epoch(String date) {
        return LocalDate.parse(date).atStartOfDay(ZONE).toEpochSecond();
    }

    /** Sends to a route {@code direct → endpoint → split(body()).streaming()} and returns the split bodies. */
    private List<Object> split(String endpointUri, Map<String, Object> headers) throws Exception {
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        String id = "split-" + System.nanoTime();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + id).routeId(id).to(endpointUri).split(body()).streaming()
                        .process(e -> got.add(e.getMessage().getBody()));
            }
        });
        Exchange result = template.request("direct:" + id, e -> e.getMessage().setHeaders(new HashMap<>(headers)));
        assertThat(result.getException()).isNull();
        return got;
    }

    private record Walk(List<Object> records, long pages) {
    }

    /** Feeds the cursor back until it is "", one page per request. */
    private Walk walkPages(String endpointUri, Map<String, Object> headers) {
        List<Object> records = new ArrayList<>();
        String cursor = "";
        long pages = 0;
        do {
            String c = cursor;
            Consumer<Exchange> setUp = e -> {
                e.getMessage().setHeaders(new HashMap<>(headers));
                e.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, c);
            };
            Exchange page = template.request(endpointUri, setUp::accept);
            assertThat(page.getException()).isNull();
            assertThat(page.getMessage().getBody()).isInstanceOf(List.class);
            records.addAll(page.getMessage().getBody(List.class));
            cursor = page.getMessage().getHeader(WecomGroupMsgConstants.CURSOR, String.class);
            assertThat(cursor).isNotNull();
            pages++;
            assertThat(pages).as("paging terminates").isLessThan(10_000);
        } while (!cursor.isEmpty());
        return new Walk(records, pages);
    }
}
