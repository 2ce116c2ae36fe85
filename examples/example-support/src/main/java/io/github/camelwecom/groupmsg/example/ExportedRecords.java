package io.github.camelwecom.groupmsg.example;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Keeps the body each exchange of the export route ends with, i.e. what the route produced for each record, so the
 * examples' tests can compare it with the simulator's ground truth. Pass it to {@link DemoMain#run} as a bean.
 */
public final class ExportedRecords extends EventNotifierSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeCompletedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((ExchangeCompletedEvent) event).getExchange();
        if (DemoMain.ROUTE_ID.equals(exchange.getFromRouteId())) {
            bodies.add(exchange.getMessage().getBody(String.class));
        }
    }

    /** The bodies so far, each parsed as JSON. */
    public List<JsonNode> json() throws Exception {
        List<JsonNode> parsed = new ArrayList<>();
        for (String body : List.copyOf(bodies)) {
            parsed.add(JSON.readTree(body));
        }
        return parsed;
    }
}
