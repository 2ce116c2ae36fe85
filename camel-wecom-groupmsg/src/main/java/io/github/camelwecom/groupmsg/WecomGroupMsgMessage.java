package io.github.camelwecom.groupmsg;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;

/**
 * The message of one consumed record. Its headers are made from the record's {@link RecordHeaders} snapshot when the
 * route first reads or changes them, as camel-jms and camel-mail do for theirs: a route that never looks at the headers
 * does not pay for building them for every record.
 */
public class WecomGroupMsgMessage extends DefaultMessage {

    private final Map<String, Object> initialHeaders;

    WecomGroupMsgMessage(Exchange exchange, Object body, Map<String, Object> initialHeaders) {
        super(exchange);
        this.initialHeaders = initialHeaders;
        setBody(body);
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        map.putAll(initialHeaders);
    }

    @Override
    protected boolean isPopulateHeadersSupported() {
        return true;
    }
}
