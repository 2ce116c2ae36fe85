package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many endpoints, as a service provider syncing many corps has, poll on the component's one scheduler: the number of
 * poll threads does not grow with the number of endpoints, and a long export takes turns with the others.
 */
class SharedSchedulerTest extends SimulatorTestSupport {

    private final ComponentThreads threads = new ComponentThreads();

    @Test
    void fortyConsumersShareTheComponentsScheduler() throws Exception {
        int consumers = 40;
        for (int i = 0; i < consumers; i++) {
            String uri = uri("list", "startTime=2025-09-" + String.format("%02d", 1 + i % 28) + "&endTime=2025-12-31"
                    + "&chatType=" + (i % 2 == 0 ? "single" : "group") + "&limit=" + (50 + i));
            String id = "c" + i;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId(id).to("mock:" + id);
                }
            });
        }
        SimulatorTestSupport.await(Duration.ofSeconds(60), () -> context.getRoutes().stream()
                .allMatch(r -> ((WecomGroupMsgConsumer) r.getConsumer()).isFinished()), () -> "not all finished");

        // only this test's threads: another test's context may still be ending its own
        List<String> pollThreads = threads.started();
        assertThat(pollThreads.stream().filter(n -> n.contains("WecomGroupMsgPoll")).count())
                .as("shared poll threads in " + pollThreads).isBetween(1L, 10L);
        assertThat(pollThreads).as("no scheduler thread per endpoint")
                .noneMatch(n -> n.contains("wecom-groupmsg://list"));
        assertThat(pollThreads).as("threads of this context").isNotEmpty();
    }

    /**
     * A replica holding a thousand corps or more: each consumer keeps one task queued on the shared scheduler, so the
     * scheduler must not refuse tasks past a queue size (Camel's default thread pool profile stops at 1,000).
     */
    @Test
    void moreConsumersThanCamelsDefaultQueueSizeAllStart() throws Exception {
        int consumers = 1_100;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < consumers; i++) {
                    // polls an hour away: only the scheduling is under test
                    from("wecom-groupmsg:result?baseUrl=" + simulator.baseUrl() + "&corpId=" + CORP_ID + "&corpSecret="
                            + CORP_SECRET + "&startTime=" + (1_756_656_000L + i) + "&initialDelay=3600000")
                            .routeId("c" + i).to("mock:c");
                }
            }
        });
        assertThat(context.getRoutes()).hasSize(consumers).allSatisfy(route -> {
            assertThat(context.getRouteController().getRouteStatus(route.getRouteId()).isStarted())
                    .as("%s started", route.getRouteId()).isTrue();
            assertThat(((WecomGroupMsgConsumer) route.getConsumer()).isSchedulerStarted())
                    .as("%s scheduled", route.getRouteId()).isTrue();
        });
    }

    /**
     * On a scheduler of one thread, a long export (one record a poll, thousands of polls) and an export started while
     * it runs: the second is polled between the first's polls, not after its last.
     */
    @Test
    void aLongExportTakesTurnsWithTheOthersOnTheSharedScheduler() throws Exception {
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setSchedulerPoolSize(1);
        AtomicInteger longRecords = new AtomicInteger();
        AtomicBoolean longFinishedFirst = new AtomicBoolean();
        AtomicInteger otherRecords = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("result", RANGE + "&maxMessagesPerPoll=1")).routeId("long")
                        .process(e -> longRecords.incrementAndGet());
                from(uri("list", ONE_PAGE_RANGE)).routeId("other").autoStartup(false)
                        .process(e -> {
                            if (otherRecords.getAndIncrement() == 0) {
                                longFinishedFirst.set(consumer("long").isFinished());
                            }
                        });
            }
        });
        SimulatorTestSupport.await(Duration.ofSeconds(30), () -> longRecords.get() > 0, () -> "the long export idle");
        context.getRouteController().startRoute("other");

        SimulatorTestSupport.await(Duration.ofSeconds(120), () -> otherRecords.get() > 0,
                () -> "the other export never polled; the long one emitted " + longRecords.get());
        assertThat(longFinishedFirst).as("the long export had finished before the other polled").isFalse();
        assertThat(truth("result", "single").count()).as("records the long export has").isGreaterThan(1000);
    }

    /**
     * A route suspended in the middle of a pass: its polls return at once without polling, and are not scheduled again
     * at once as a pass with more to read is, but after the delay (100 ms here).
     */
    @Test
    void aRouteSuspendedInAPassIsNotRunAgainAndAgain() throws Exception {
        WecomGroupMsgComponent component = context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class);
        AtomicInteger records = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("result", RANGE + "&maxMessagesPerPoll=1")).routeId("long")
                        .process(e -> records.incrementAndGet());
            }
        });
        SimulatorTestSupport.await(Duration.ofSeconds(30), () -> records.get() >= 5, () -> "the export idle");
        context.getRouteController().suspendRoute("long");
        assertThat(consumer("long").isFinished()).as("suspended within its pass").isFalse();

        SizedScheduledExecutorService scheduler = (SizedScheduledExecutorService) component.getScheduler();
        long runs = scheduler.getCompletedTaskCount();
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> scheduler.getCompletedTaskCount() - runs < 50);
    }

    private WecomGroupMsgConsumer consumer(String routeId) {
        return (WecomGroupMsgConsumer) context.getRoute(routeId).getConsumer();
    }
}
