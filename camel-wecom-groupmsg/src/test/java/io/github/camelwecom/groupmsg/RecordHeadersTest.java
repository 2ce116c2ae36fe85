package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer headers are made only when a route looks at them, from values consecutive records share: what one route step
 * does to its message's headers shows in the next step and never leaks into another record's headers.
 */
class RecordHeadersTest extends SimulatorTestSupport {

    @Test
    void headersAreEachMessagesOwnAndCaseInsensitive() throws Exception {
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<Exchange> seen = Collections.synchronizedList(new ArrayList<>());
        String routeId = "headers";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("result", RANGE + "&chatType=single")).routeId(routeId)
                        .process(exchange -> {
                            var in = exchange.getMessage();
                            if (!in.hasHeaders() || in.getHeaders().size() != 10) {
                                problems.add("headers at first look: " + in.getHeaders().keySet());
                            }
                            Object msgid = in.getHeader(WecomGroupMsgConstants.MSG_ID.toLowerCase(Locale.ROOT));
                            if (msgid == null || !msgid.equals(in.getHeader(WecomGroupMsgConstants.MSG_ID))) {
                                problems.add("case-insensitive lookup gave " + msgid);
                            }
                            in.removeHeader(WecomGroupMsgConstants.CHANGE);
                            in.setHeader(WecomGroupMsgConstants.USER_ID, "changed-by-route");
                        })
                        .process(exchange -> {
                            var in = exchange.getMessage();
                            if (in.getHeader(WecomGroupMsgConstants.CHANGE) != null
                                    || !"changed-by-route".equals(in.getHeader(WecomGroupMsgConstants.USER_ID))) {
                                problems.add("a step's header changes were lost: " + in.getHeaders());
                            }
                            seen.add(exchange);
                        });
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute(routeId).getConsumer();
        await(Duration.ofSeconds(60), consumer::isFinished, () -> "export did not finish");
        context.getRouteController().stopRoute(routeId);

        assertThat(problems).isEmpty();
        assertThat(seen).hasSize((int) truth("result", "single").count());
    }
}
