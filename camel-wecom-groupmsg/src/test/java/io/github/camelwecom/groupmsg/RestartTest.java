package io.github.camelwecom.groupmsg;

import java.io.File;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A consumer restarted on its checkpoint continues what it started, whatever the clock says at the restart and whatever
 * the options' relative times resolve to then: nothing lost, nothing repeated. A checkpoint it cannot read stops it
 * with a message that says what to do, instead of a silent start from the beginning.
 */
class RestartTest extends SimulatorTestSupport {

    private static final long DAY = 86_400;
    /** The 11th single-chat message: the small data set has about one every four days. */
    private static final ObjectNode MESSAGE = DATA.groundTruth().messages("single", RANGE_START, RANGE_END, null, 2)
            .sorted(Comparator.comparingLong(m -> m.get("create_time").asLong())).skip(10).findFirst().orElseThrow();
    /** "Now" at the first start: an hour after that message. */
    private static final long C0 = MESSAGE.get("create_time").asLong() + 3600;

    @TempDir
    File dir;

    private final MovableClock clock = new MovableClock(C0);

    @BeforeEach
    void bindState() {
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        context.getRegistry().bind("state", FileStateRepository.fileStateRepository(new File(dir, "wecom.state")));
    }

    /**
     * startTime=-P1D resolved at the first start is kept: a route stopped with its pass open (a record the route keeps
     * failing) and started again 20 days later still reads the days in between.
     */
    @Test
    void relativeStartTimeIsResolvedOnceAndAPassOpenAtTheStopIsContinued() throws Exception {
        String endpoint = uri("list", "startTime=-P1D&stateRepository=#state");
        List<Object> emitted = new ArrayList<>();
        String failing = MESSAGE.get("msgid").asText();
        assertThat(DATA.groundTruth().countMessages("single", C0 + 1, C0 + 19 * DAY, null, 2))
                .as("messages a restart resolving -P1D again would skip").isPositive();

        Collector first = new Collector();
        AtomicInteger refused = new AtomicInteger();
        context.addRoutes(route("first", endpoint, first, failing, refused));
        WecomGroupMsgConsumer consumer = consumer("first");
        await(Duration.ofSeconds(30), () -> refused.get() >= 2, () -> "the first route did not fail at " + failing);
        stop("first");
        emitted.addAll(first.bodies);
        assertThat(consumer.getPassesCompleted()).as("passes the failing record let end").isZero();

        clock.set(C0 + 20 * DAY);
        Collector second = new Collector();
        context.addRoutes(route("second", endpoint, second, null, null));
        WecomGroupMsgConsumer resumed = consumer("second");
        awaitPassUpTo(resumed, C0 + 20 * DAY);
        stop("second");
        emitted.addAll(second.bodies);

        ExportAssertions.assertExactly(emitted,
                DATA.groundTruth().messages("single", C0 - DAY, C0 + 20 * DAY, null, 2));
    }

    /**
     * endTime still ahead at the first start: the consumer follows, and it keeps following after a restart past
     * endTime, so the span it reads again is not emitted again.
     */
    @Test
    void aConsumerThatFollowedKeepsItsDedupeAfterARestartPastEndTime() throws Exception {
        long start = C0 - 10 * DAY;
        long end = C0 + 10 * DAY;
        String endpoint = uri("list", "startTime=" + start + "&endTime=" + end + "&overlap=P5D&stateRepository=#state");
        List<Object> emitted = new ArrayList<>();

        Collector first = new Collector();
        context.addRoutes(route("first", endpoint, first, null, null));
        awaitPassUpTo(consumer("first"), C0);
        stop("first");
        emitted.addAll(first.bodies);

        clock.set(C0 + 12 * DAY);
        Collector second = new Collector();
        context.addRoutes(route("second", endpoint, second, null, null));
        WecomGroupMsgConsumer resumed = consumer("second");
        await(Duration.ofSeconds(30), resumed::isFinished, () -> "not finished after the restart");
        stop("second");
        emitted.addAll(second.bodies);

        assertThat(DATA.groundTruth().countMessages("single", C0 - 5 * DAY, C0, null, 2))
                .as("messages in the span read again after the restart").isPositive();
        ExportAssertions.assertExactly(emitted, DATA.groundTruth().messages("single", start, end, null, 2));
    }

    /** Dates mean other instants in another time zone: that is another selection, with a checkpoint of its own. */
    @Test
    void theTimeZoneIsPartOfTheSelection() throws Exception {
        clock.set(RANGE_END + 1);
        String range = "startTime=2025-09-01&endTime=2025-10-31&stateRepository=#state";
        Collector shanghai = exportAll(uri("list", range));
        assertThat(shanghai.size()).isPositive();

        Collector utc = exportAll(uri("list", range + "&timeZone=UTC"));

        long start = LocalDate.parse("2025-09-01").atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long end = LocalDate.parse("2025-10-31").atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        ExportAssertions.assertExactly(utc.bodies, DATA.groundTruth().messages("single", start, end, null, 2));
    }

    @Test
    void aCheckpointThatCannotBeReadStopsTheRouteAndSaysWhatToDo() throws Exception {
        MemoryStateRepository state = new MemoryStateRepository();
        context.getRegistry().bind("memory", state);
        String endpoint = uri("list", ONE_PAGE_RANGE + "&stateRepository=#memory");
        String key = ConsumerCheckpoints.key(
                context.getEndpoint(endpoint, WecomGroupMsgEndpoint.class).getOptions());

        state.setState(key, "{\"passStart\":17");
        assertFailsToStart(endpoint, "torn").hasMessageContaining(key).hasMessageContaining("not readable")
                .hasMessageContaining("Remove the key from the stateRepository");

        state.setState(key, "{\"version\":99,\"passStart\":17,\"finished\":false}");
        assertFailsToStart(endpoint, "newer").hasMessageContaining(key).hasMessageContaining("format 99")
                .hasMessageContaining("newer version");

        // the project has not been released: a checkpoint of an earlier build is refused, not converted
        state.setState(key, "{\"startTime\":1,\"following\":false,\"passStart\":17,\"finished\":false}");
        assertFailsToStart(endpoint, "older").hasMessageContaining(key).hasMessageContaining("an older format")
                .hasMessageContaining("remove the key to export again from startTime");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertFailsToStart(String endpoint, String routeId)
            throws Exception {
        AbstractThrowableAssert<?, ? extends Throwable> failure = assertThatThrownBy(
                () -> context.addRoutes(route(routeId, endpoint, new Collector(), null, null)));
        context.getRouteController().stopRoute(routeId);
        context.removeRoute(routeId);
        return failure;
    }

    private WecomGroupMsgConsumer consumer(String routeId) {
        return (WecomGroupMsgConsumer) context.getRoute(routeId).getConsumer();
    }

    private void stop(String routeId) throws Exception {
        context.getRouteController().stopRoute(routeId);
        context.removeRoute(routeId);
    }

    /** Collects what the route processed; a record of {@code failingMsgid} fails every time, counted in refused. */
    private static RouteBuilder route(String id, String endpoint, Collector collector, String failingMsgid,
            AtomicInteger refused) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId(id).process(exchange -> {
                    if (exchange.getMessage().getHeader(WecomGroupMsgConstants.MSG_ID).equals(failingMsgid)) {
                        refused.incrementAndGet();
                        throw new IllegalStateException("sink refuses " + failingMsgid);
                    }
                    collector.add(exchange);
                });
            }
        };
    }
}
