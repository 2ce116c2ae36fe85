package io.github.camelwecom.groupmsg.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The three mass-message APIs over a {@link DataSet}: validates a request body, pages, and builds the answer.
 * Authentication, faults and HTTP are the caller's business.
 */
final class GroupMsgApi {
    static final long MAX_RANGE_SECONDS = 31L * 86400;
    private static final int LIST_DEFAULT_LIMIT = 50;
    private static final int LIST_MAX_LIMIT = 100;
    private static final int DEFAULT_LIMIT = 500;
    private static final int MAX_LIMIT = 1000;

    private final DataSet ds;
    private final SimClock clock;
    private final RuntimeSettings settings;

    GroupMsgApi(DataSet ds, SimClock clock, RuntimeSettings settings) {
        this.ds = ds;
        this.clock = clock;
        this.settings = settings;
    }

    /** The answer as of the clock's now, read once so one answer is consistent. */
    ObjectNode answer(Api api, ObjectNode body) {
        return answer(api, body, false);
    }

    /**
     * Like {@link #answer(Api, ObjectNode)}; with {@code repeated}, in the shape of the REPEATED_RECORDS fault: the
     * page's first record again at its end, and, when the request carries a cursor, the record just before the cursor's
     * position (the previous page's last) first. Only the paging knows that position, hence here.
     */
    ObjectNode answer(Api api, ObjectNode body, boolean repeated) {
        long now = clock.nowEpochSecond();
        switch (api) {
            case LIST :
                return list(body, now, repeated);
            case TASK :
                return task(body, now, repeated);
            case RESULT :
                return result(body, now, repeated);
            default :
                throw new IllegalArgumentException(api + " is not a mass-message API");
        }
    }

    /**
     * get_groupmsg_list_v2; the cursor holds the index of the next matching message. An unknown chat_type is refused,
     * an unknown filter_type means 2 (all), like an out-of-range limit means the default. Messages created after
     * {@code now} do not exist yet. WeCom's document does not say whether end_time is inclusive, nor whether start_time
     * == end_time is allowed; the {@link RuntimeSettings} choose, so clients can be tested against each reading.
     */
    private ObjectNode list(ObjectNode body, long now, boolean repeated) {
        MessageFilter filter = listFilter(body);
        ChatType type = filter.chatType();
        long start = filter.start();
        long end = filter.end();
        int limit = Params.limit(body, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT);

        Message[] all = ds.messages(type);
        int from = ds.firstAtOrAfter(type, start);
        int endIndex = settings.endTimeExclusive() ? ds.firstAtOrAfter(type, end) : ds.endAtOrBefore(type, end);
        int to = Math.max(from, Math.min(endIndex, ds.endAtOrBefore(type, now)));
        long query = Cursors.queryHash(Api.LIST, type, start, end, filter.creator(), filter.filterType());
        String cursor = Params.text(body, "cursor");
        int i = Cursors.decode(cursor, query, from, from + 1, to - 1);
        ObjectNode before = repeated && cursor != null ? lastMatchBefore(all, filter, from, i) : null;

        ObjectNode answer = Json.ok();
        ArrayNode list = Json.NODES.arrayNode();
        int taken = 0;
        for (; i < to && taken < limit; i++) {
            if (filter.matches(all[i])) {
                list.add(RecordJson.message(all[i]));
                taken++;
            }
        }
        while (i < to && !filter.matches(all[i])) {
            i++; // look ahead so the last page says so with an empty cursor
        }
        answer.put("next_cursor", i < to ? Cursors.encode(query, i) : "");
        if (repeated) {
            repeat(list, before);
        }
        answer.set("group_msg_list", list);
        return answer;
    }

    /** The messages a get_groupmsg_list_v2 body selects; a chat_type or time range WeCom refuses throws. */
    private MessageFilter listFilter(ObjectNode body) {
        String chatTypeName = Params.text(body, "chat_type");
        ChatType type = chatTypeName == null ? ChatType.SINGLE : ChatType.fromWire(chatTypeName);
        if (type == null) {
            throw WecomException.invalidParameter("chat_type");
        }
        long start = Params.requiredNumber(body, "start_time");
        long end = Params.requiredNumber(body, "end_time");
        if (end < start) {
            throw WecomException.invalidParameter("time range: end_time is earlier than start_time");
        }
        if (end == start && settings.refuseZeroWidthWindows()) {
            throw WecomException.invalidParameter("time range: end_time equals start_time");
        }
        if (end - start > MAX_RANGE_SECONDS) {
            throw WecomException.invalidParameter("time range: end_time - start_time exceeds 31 days");
        }
        Long filterValue = Params.number(body, "filter_type");
        int filterType = filterValue == null || filterValue < 0 || filterValue > 2 ? 2 : filterValue.intValue();
        return new MessageFilter(type, start, end, Params.text(body, "creator"), filterType);
    }

    /** get_groupmsg_task; the cursor holds the index of the next task. */
    private ObjectNode task(ObjectNode body, long now, boolean repeated) {
        Message m = requireMessage(body, now);
        int limit = Params.limit(body, DEFAULT_LIMIT, MAX_LIMIT);
        int count = m.taskCount();
        long query = Cursors.queryHash(Api.TASK, m.msgid);
        String cursor = Params.text(body, "cursor");
        int from = Cursors.decode(cursor, query, 0, 1, count - 1);
        int to = (int) Math.min(count, (long) from + limit);

        ObjectNode answer = Json.ok();
        answer.put("next_cursor", to < count ? Cursors.encode(query, to) : "");
        ArrayNode list = answer.putArray("task_list");
        for (int t = from; t < to; t++) {
            list.add(RecordJson.task(ds, m, t, now));
        }
        if (repeated) {
            repeat(list, cursor != null ? RecordJson.task(ds, m, from - 1, now) : null);
        }
        return answer;
    }

    /** get_groupmsg_send_result; the cursor holds the index of the next returned result of the task. */
    private ObjectNode result(ObjectNode body, long now, boolean repeated) {
        Message m = requireMessage(body, now);
        String userid = Params.requiredText(body, "userid");
        int limit = Params.limit(body, DEFAULT_LIMIT, MAX_LIMIT);
        Member member = ds.member(userid);
        int task = member == null ? -1 : m.taskOf(member.index());
        int count = task < 0 ? 0 : m.taskReturnedAt(task, now);
        long query = Cursors.queryHash(Api.RESULT, m.msgid, userid);
        String cursor = Params.text(body, "cursor");
        int from = Cursors.decode(cursor, query, 0, 1, count - 1);
        int to = (int) Math.min(count, (long) from + limit);

        ObjectNode answer = Json.ok();
        answer.put("next_cursor", to < count ? Cursors.encode(query, to) : "");
        ArrayNode list = answer.putArray("send_list");
        if (task >= 0) {
            RecordJson.results(ds, m, task, from, now).limit(to - from).forEach(list::add);
        }
        if (repeated) {
            // a cursor was accepted, so task >= 0 and from >= 1
            repeat(list, cursor != null ? RecordJson.results(ds, m, task, from - 1, now).findFirst().orElseThrow()
                    : null);
        }
        return answer;
    }

    /** The last message from {@code from} on, before {@code position}, that the filter lets through; null if none. */
    private static ObjectNode lastMatchBefore(Message[] all, MessageFilter filter, int from, int position) {
        for (int j = position - 1; j >= from; j--) {
            if (filter.matches(all[j])) {
                return RecordJson.message(all[j]);
            }
        }
        return null;
    }

    /** The REPEATED_RECORDS shape of a page: its first record again at its end, {@code before} (if any) first. */
    private static void repeat(ArrayNode page, ObjectNode before) {
        if (!page.isEmpty()) {
            page.add(page.get(0).deepCopy());
        }
        if (before != null) {
            page.insert(0, before);
        }
    }

    /** A message created after {@code now} is as unknown as one that never exists. */
    private Message requireMessage(ObjectNode body, long now) {
        String msgid = Params.requiredText(body, "msgid");
        Message m = ds.message(msgid);
        if (m == null || !m.existsAt(now)) {
            throw WecomException.invalidParameter("msgid not found");
        }
        return m;
    }
}
