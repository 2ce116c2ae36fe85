package io.github.camelwecom.groupmsg.export;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.ListQuery;

/**
 * What an export reads: the API, how messages are selected (or one {@code msgid} / {@code userid}), the window size for
 * list queries, the page size for the API's own pages, and how many requests run at once while fanning out.
 */
public record ExportSpec(GroupMsgApi api, ListQuery listQuery, long windowSeconds, String msgid, String userid,
        int pageLimit, int concurrency) {

    /**
     * The page size to ask {@code of} for: the configured one for the export's own API; the largest for the APIs it
     * reads on the way, since fuller pages mean fewer calls and the user never sees those pages.
     */
    public int limitOf(GroupMsgApi of) {
        return of == api ? pageLimit : of.maxLimit();
    }

    /** The same selection narrowed to one message, and to one member's results when {@code userid} is set. */
    ExportSpec narrowedTo(String msgid, String userid) {
        return new ExportSpec(api, listQuery, windowSeconds, msgid, userid, pageLimit, concurrency);
    }
}
