package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many endpoints, as a service provider syncing many corps has, poll on the component's one scheduler: the number of
 * poll threads does not grow with the number of endpoints.
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
}
