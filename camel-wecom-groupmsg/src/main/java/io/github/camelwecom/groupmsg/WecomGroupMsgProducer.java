package io.github.camelwecom.groupmsg;

import java.io.Closeable;
import java.time.Clock;
import java.util.Iterator;

import io.github.camelwecom.groupmsg.client.ExportPosition;
import io.github.camelwecom.groupmsg.client.ExportSpec;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.GroupMsgExport;
import io.github.camelwecom.groupmsg.client.Page;
import io.github.camelwecom.groupmsg.client.TimeSpec;
import io.github.camelwecom.groupmsg.client.TimeWindow;
import io.github.camelwecom.groupmsg.client.WecomClient;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * Serves records on demand. The body becomes a lazy {@link Iterator} over every record the options and headers select
 * (pages are fetched as it is consumed, so {@code split(body()).streaming()} handles any volume); with header
 * {@link WecomGroupMsgConstants#CURSOR} set it becomes one page as a {@code List}, and the header the next cursor.
 */
public class WecomGroupMsgProducer extends DefaultProducer {

    public WecomGroupMsgProducer(WecomGroupMsgEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public WecomGroupMsgEndpoint getEndpoint() {
        return (WecomGroupMsgEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        WecomGroupMsgOptions options = getEndpoint().getOptions();
        WecomGroupMsgConfiguration config = options.config();
        Clock clock = getEndpoint().getComponent().getClock();
        Message in = exchange.getMessage();

        // the endpoint's api is not overridden: every record carries the Api header of the endpoint that read it,
        // and a route chaining list -> task must not turn the task endpoint into a list one
        GroupMsgApi api = options.api();
        String chatType = in.getHeader(WecomGroupMsgConstants.CHAT_TYPE, config.getChatType(), String.class);
        if (!"single".equals(chatType) && !"group".equals(chatType)) {
            throw new IllegalArgumentException("Invalid header " + WecomGroupMsgConstants.CHAT_TYPE + "=" + chatType
                                               + ": allowed is single or group");
        }
        String msgid = in.getHeader(WecomGroupMsgConstants.MSG_ID, config.getMsgid(), String.class);
        String userid = in.getHeader(WecomGroupMsgConstants.USER_ID, config.getUserid(), String.class);
        if (api == GroupMsgApi.LIST) {
            msgid = null;
        }
        if (api != GroupMsgApi.RESULT) {
            userid = null;
        }
        long start = timeHeader(in, WecomGroupMsgConstants.START_TIME, options, clock, options.startEpoch(clock));
        Long configuredEnd = options.endEpoch(clock);
        long end = timeHeader(in, WecomGroupMsgConstants.END_TIME, options, clock,
                configuredEnd != null ? configuredEnd : clock.instant().getEpochSecond());
        if (end < start) {
            throw new IllegalArgumentException("End time " + TimeSpec.format(end) + " is before start time "
                                               + TimeSpec.format(start));
        }
        ExportSpec spec = options.exportSpec(api, chatType, msgid, userid);

        String cursor = in.getHeader(WecomGroupMsgConstants.CURSOR, String.class);
        if (cursor != null) {
            Page<?> page = onePage(spec, start, end, cursor);
            in.setBody(page.records());
            in.setHeader(WecomGroupMsgConstants.CURSOR, page.nextCursor());
        } else {
            ExportPosition from = ExportPosition.startOf(
                    spec.msgid() != null ? null : TimeWindow.first(start, end, spec.windowSeconds()));
            GroupMsgExport export = new GroupMsgExport(getEndpoint().getClient(), spec, from, end,
                    spec.concurrency() > 1 ? getEndpoint().getComponent().getFanOutExecutor() : null);
            in.setBody(new RecordIterator(export));
        }
        in.setHeader(WecomGroupMsgConstants.API, api.uriName());
        in.setHeader(WecomGroupMsgConstants.CHAT_TYPE, chatType);
        in.setHeader(WecomGroupMsgConstants.START_TIME, start);
        in.setHeader(WecomGroupMsgConstants.END_TIME, end);
    }

    private Page<?> onePage(ExportSpec spec, long start, long end, String cursor) {
        WecomClient client = getEndpoint().getClient();
        return switch (spec.api()) {
            case LIST -> {
                if (end - start + 1 > WecomGroupMsgOptions.MAX_WINDOW_SECONDS) {
                    throw new IllegalArgumentException("One list page needs startTime..endTime within 31 days; got "
                                                       + TimeSpec.format(start) + ".." + TimeSpec.format(end));
                }
                yield client.listPage(spec.listQuery(), start, end, cursor);
            }
            case TASK -> client.taskPage(required(spec.msgid(), "msgid", WecomGroupMsgConstants.MSG_ID),
                    spec.pageLimit(), cursor);
            case RESULT -> client.resultPage(required(spec.msgid(), "msgid", WecomGroupMsgConstants.MSG_ID),
                    required(spec.userid(), "userid", WecomGroupMsgConstants.USER_ID), spec.pageLimit(), cursor);
        };
    }

    private static String required(String value, String option, String header) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("One page of this api needs " + option + ": set the option or header "
                                               + header);
        }
        return value;
    }

    private static long timeHeader(Message in, String header, WecomGroupMsgOptions options, Clock clock,
                                   long otherwise) {
        Object value = in.getHeader(header);
        return value == null ? otherwise : options.parseHeaderTime(header, value, clock);
    }

    /** The body of a full export: records only, closing the reader when Camel closes the iterator. */
    static final class RecordIterator implements Iterator<Object>, Closeable {
        private final GroupMsgExport export;

        RecordIterator(GroupMsgExport export) {
            this.export = export;
        }

        @Override
        public boolean hasNext() {
            boolean more = export.hasNext();
            if (!more) {
                export.close();
            }
            return more;
        }

        @Override
        public Object next() {
            return export.next().record();
        }

        @Override
        public void close() {
            export.close();
        }
    }
}
