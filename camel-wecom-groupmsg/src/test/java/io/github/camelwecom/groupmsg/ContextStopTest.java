package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.Iterator;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CamelContext stopped in the middle of exports, with a producer's iterator left open, leaves no thread of its own
 * behind: every pool the component started ends with it.
 */
class ContextStopTest extends SimulatorTestSupport {

    private final ComponentThreads threads = new ComponentThreads();

    @Test
    void aContextStoppedMidExportLeavesNoThreads() throws Exception {
        simulator.setLatency(Duration.ofMillis(100));
        for (int i = 0; i < 3; i++) {
            String uri = uri("result", RANGE + "&limit=" + (10 + i) + "&concurrency=4");
            String id = "export-" + i;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId(id).to("mock:" + id);
                }
            });
        }
        Exchange exchange = template.request(uri("result", RANGE + "&limit=10&concurrency=4"), e -> {
        });
        Iterator<?> open = exchange.getMessage().getBody(Iterator.class);
        open.next();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> threads.started().stream()
                .filter(n -> n.endsWith("WecomGroupMsgPoll") || n.endsWith("WecomGroupMsgFanOut"))
                .map(n -> n.substring(n.lastIndexOf(' ') + 1)).distinct().count() == 2);

        context.stop();

        Awaitility.await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(threads.started()).as("threads left").isEmpty());
    }
}
