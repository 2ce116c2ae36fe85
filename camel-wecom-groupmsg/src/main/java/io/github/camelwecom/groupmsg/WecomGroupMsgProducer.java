package io.github.camelwecom.groupmsg;

import java.io.Closeable;
import java.util.Iterator;
import java.util.NoSuchElementException;

import io.github.camelwecom.groupmsg.client.Page;
import io.github.camelwecom.groupmsg.client.WecomClient;
import io.github.camelwecom.groupmsg.export.ExportListener;
import io.github.camelwecom.groupmsg.export.ExportRecord;
import io.github.camelwecom.groupmsg.export.ExportSpec;
import io.github.camelwecom.groupmsg.export.FollowingExport;
import io.github.camelwecom.groupmsg.export.Unreadable;
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
        Message in = exchange.getMessage();
        // the endpoint's api is not overridden: every record carries the Api header of the endpoint that read it,
        // and a route chaining list -> task must not turn the task endpoint into a list one
        WecomGroupMsgOptions.Selection selection = options.select(in, getEndpoint().getComponent().getClock());
        ExportSpec spec = selection.spec();
        String cursor = in.getHeader(WecomGroupMsgConstants.CURSOR, String.class);
        if (cursor != null) {
            Page<?> page = onePage(spec, selection.start(), selection.end(), cursor);
            in.setBody(page.records());
            in.setHeader(WecomGroupMsgConstants.CURSOR, page.nextCursor());
        } else {
            FollowingExport export = getEndpoint().createExport(spec,
                    new FollowingExport.Range(selection.start(), selection.end(), false), null, ExportListener.NONE);
            export.open(selection.end());
            in.setBody(new RecordIterator(export));
        }
        in.setHeader(WecomGroupMsgConstants.API, spec.api().uriName());
        in.setHeader(WecomGroupMsgConstants.CHAT_TYPE, spec.listQuery().chatType().wireName());
        in.setHeader(WecomGroupMsgConstants.START_TIME, selection.start());
        in.setHeader(WecomGroupMsgConstants.END_TIME, selection.end());
    }

    private Page<?> onePage(ExportSpec spec, long start, long end, String cursor) {
        WecomClient client = getEndpoint().getClient();
        return switch (spec.api()) {
            case LIST -> {
                if (end - start + 1 > WecomGroupMsgOptions.MAX_WINDOW_SECONDS) {
                    throw new IllegalArgumentException("One list page needs startTime..endTime within 31 days; got "
                            + TimeSpec.format(start) + ".." + TimeSpec.format(end));
                }
                yield client.listPage(spec.listQuery(), spec.pageLimit(), start, end, cursor);
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

    /**
     * The body of a full export: records only, each committed as it is handed on (the export keeps no history of them),
     * closing the reader when Camel closes the iterator. A message WeCom refuses fails the iteration there.
     */
    static final class RecordIterator implements Iterator<Object>, Closeable {
        private final FollowingExport export;
        private Object next;

        RecordIterator(FollowingExport export) {
            this.export = export;
        }

        @Override
        public boolean hasNext() {
            while (next == null && export.hasNext()) {
                ExportRecord record = export.next();
                export.commit(record);
                if (record.record() instanceof Unreadable u) {
                    export.close();
                    throw u.failure();
                }
                next = record.emitted() ? record.record() : null;
            }
            if (next == null) {
                export.close();
            }
            return next != null;
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Object record = next;
            next = null;
            return record;
        }

        @Override
        public void close() {
            export.close();
        }
    }
}
