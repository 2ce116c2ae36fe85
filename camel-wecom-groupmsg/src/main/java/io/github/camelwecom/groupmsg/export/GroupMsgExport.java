package io.github.camelwecom.groupmsg.export;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.client.WecomClient;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;

/**
 * One pass of a {@link FollowingExport}: every record an {@link ExportSpec} selects, lazily and in the API's order:
 * messages window by window, and for task and result exports each message's tasks and each member's send results, read
 * ahead by {@link OrderedFanOut}s. Each record carries the {@link ExportPosition} to resume from after it.
 * <p>
 * Answers are not taken on trust: list records outside the window that owns them and records a sequence already
 * returned are dropped (see {@link Pager}). With {@link Refusals} a message's tasks or a member's send results that
 * WeCom refuses for that data alone end in an {@link Unreadable} marker instead of failing the export.
 */
final class GroupMsgExport implements Iterator<ExportRecord>, AutoCloseable {

    private final WecomClient client;
    private final ExportSpec spec;
    private final long rangeEnd;
    private final MemberReads members;
    private final Refusals refusals;
    private final Predicate<String> settled;
    private final ExecutorService executor;
    private final Iterator<ExportRecord> records;

    /**
     * Parents whose children are read at once, per request the spec lets run: while one parent's long sequence is read
     * page after page, the others keep the requests busy.
     */
    static final int AHEAD_PER_REQUEST = 4;

    /** Refusals of one message's data are skipped, and what was refused before is left to its retry. */
    @FunctionalInterface
    public interface Refusals {
        /** Whether a refusal of this message's tasks is waiting to be read again: the export leaves them alone. */
        boolean pending(String msgid);
    }

    /** Follow mode: which members' send results a result export reads, and what it makes of them. */
    @FunctionalInterface
    public interface MemberReads {
        /**
         * @param message its message, null when the export reads one msgid
         * @param task the member's task, null when the export reads one userid's results without tasks
         * @param resumed the export resumes inside this member's results
         * @param results the member's send results, not read yet
         * @param end the position after its last send result, once they are read
         * @return the records to hand on, or null to leave the member's results unread
         */
        Iterator<ExportRecord> read(String msgid, GroupMsg message, String userid, GroupMsgTask task, boolean resumed,
                Iterator<ExportRecord> results, Supplier<ExportPosition> end);
    }

    /**
     * A message whose children are read, with the positions its children start from. {@code resume} is the list
     * position its records resume at: after it for list exports, at it for task and result exports.
     */
    private record MsgItem(TimeWindow window, GroupMsg msg, String msgid, PagePosition resume, PagePosition taskStart,
            PagePosition resultStart) {
    }

    /** A member of a message whose send results are read; or, with {@code refused}, the end of a refused task list. */
    private record TaskItem(MsgItem msg, String userid, GroupMsgTask task, PagePosition before,
            PagePosition resultStart, ExportRecord refused) {
    }

    /**
     * @param from where to start: {@link ExportPosition#startOf(TimeWindow)} or a position of an earlier record
     * @param rangeEnd last create_time (epoch seconds, inclusive) of the messages to read
     * @param executor reads the fan-out's parents, a few per request in flight
     * @param members follow mode: decides per member whether its send results are read; null reads every one
     * @param refusals skip what WeCom refuses for one message's data alone; null fails the export there
     * @param settled follow mode: messages whose tasks cannot change any more, so they are not read; null reads all
     */
    GroupMsgExport(WecomClient client, ExportSpec spec, ExportPosition from, long rangeEnd, ExecutorService executor,
            MemberReads members, Refusals refusals, Predicate<String> settled) {
        this(client, spec, null, from, rangeEnd, executor, members, refusals, settled);
    }

    private GroupMsgExport(WecomClient client, ExportSpec spec, GroupMsg message, ExportPosition from, long rangeEnd,
            ExecutorService executor, MemberReads members, Refusals refusals, Predicate<String> settled) {
        this.client = client;
        this.members = members;
        this.refusals = refusals;
        this.settled = settled;
        this.spec = spec;
        this.rangeEnd = rangeEnd;
        this.executor = executor;
        this.records = records(messages(message, from));
    }

    private Iterator<MsgItem> messages(GroupMsg message, ExportPosition from) {
        if (spec.msgid() != null) {
            return List.of(new MsgItem(from.window(), message, spec.msgid(), null, orStart(from.task()),
                    orStart(from.result()))).iterator();
        }
        // windows are few and each one's messages fan out further: concurrency of them at once suffices
        return new OrderedFanOut<>(windows(from.window()), w -> new WindowMessages(w, from), spec.concurrency(),
                spec.limitOf(GroupMsgApi.LIST), executor);
    }

    private Iterator<ExportRecord> records(Iterator<MsgItem> messages) {
        return switch (spec.api()) {
            case LIST -> new Mapped<>(messages, this::listRecord);
            case TASK -> fanOut(messages, this::taskRecords, spec.pageLimit());
            case RESULT -> fanOut(memberItems(messages), this::resultRecords, spec.pageLimit());
        };
    }

    /** The members whose send results are read: each message's tasks, or the one userid. */
    private Iterator<TaskItem> memberItems(Iterator<MsgItem> messages) {
        return spec.userid() != null
                ? new Mapped<>(messages, m -> new TaskItem(m, spec.userid(), null, null, m.resultStart(), null))
                : fanOut(messages, this::taskItems, spec.limitOf(GroupMsgApi.TASK));
    }

    private <P, C> OrderedFanOut<P, C> fanOut(Iterator<P> parents, Function<P, Iterator<C>> children, int chunk) {
        return new OrderedFanOut<>(parents, children, AHEAD_PER_REQUEST * spec.concurrency(), chunk, executor);
    }

    /**
     * Reads again, from where it stopped, what WeCom refused before: the message's tasks (and for result exports its
     * members' send results), or one member's send results. Refused again, it ends in a new marker.
     */
    static GroupMsgExport retry(WecomClient client, ExportSpec spec, Unreadable refused, ExecutorService executor,
            MemberReads members) {
        boolean member = refused.api() == GroupMsgApi.RESULT;
        ExportSpec one = spec.narrowedTo(refused.msgid(), member ? refused.userid() : spec.userid());
        GroupMsg message = new GroupMsg();
        message.setMsgid(refused.msgid());
        message.setCreateTime(refused.createTime());
        return new GroupMsgExport(client, one, message, refused.resume(), Long.MAX_VALUE, executor, members,
                msgid -> false, null);
    }

    @Override
    public boolean hasNext() {
        return records.hasNext();
    }

    @Override
    public ExportRecord next() {
        return records.next();
    }

    @Override
    public void close() {
        if (records instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // fan-outs close without failing
            }
        }
    }

    private ExportRecord listRecord(MsgItem m) {
        return new ExportRecord(m.msg(), m.window(), m.msg(), null,
                new ExportPosition(m.window(), m.resume(), null, null));
    }

    private Iterator<ExportRecord> taskRecords(MsgItem m) {
        if (leftToRetry(m)) {
            return Collections.emptyIterator();
        }
        Pager<GroupMsgTask> pager = taskPager(m);
        return skippingRefusal(new Mapped<>(pager, task -> new ExportRecord(task, m.window(), m.msg(),
                task.getUserid(), new ExportPosition(m.window(), m.resume(), pager.position(), null))),
                e -> refusedTasks(m, pager, e));
    }

    private Iterator<TaskItem> taskItems(MsgItem m) {
        if (leftToRetry(m)) {
            return Collections.emptyIterator();
        }
        Pager<GroupMsgTask> pager = taskPager(m);
        return skippingRefusal(new TaskItems(m, pager), e -> new TaskItem(m, null, null, null, null,
                refusedTasks(m, pager, e)));
    }

    /** Tasks not read by this pass: left to their retry, or settled; read when the message is resumed in. */
    private boolean leftToRetry(MsgItem m) {
        if (spec.msgid() != null) {
            return false;
        }
        boolean resumedIn = m.taskStart() != null && !m.taskStart().equals(PagePosition.START);
        return refusals != null && refusals.pending(m.msgid())
                || settled != null && !resumedIn && settled.test(m.msgid());
    }

    /** The marker of a refused task list: the export goes on after the message. */
    private ExportRecord refusedTasks(MsgItem m, Pager<GroupMsgTask> pager, WecomApiException e) {
        PagePosition at = pager.position();
        Unreadable refused = new Unreadable(GroupMsgApi.TASK, m.msgid(), createTime(m), null,
                new ExportPosition(null, null, at, null), e.getErrcode(), e.getErrmsg(), 0, false, null, 0);
        return new ExportRecord(refused, m.window(), m.msg(), null,
                new ExportPosition(m.window(), m.resume(), PagePosition.finished(at.ordinal()), null),
                ExportRecord.Change.NONE);
    }

    private static Long createTime(MsgItem m) {
        return m.msg() != null ? m.msg().getCreateTime() : null;
    }

    /** With {@link Refusals}: a refusal of this message's or member's data ends the sequence with its marker. */
    private <T> Iterator<T> skippingRefusal(Iterator<T> source, Function<WecomApiException, T> marker) {
        return refusals == null ? source : new SkippingRefusal<>(source, marker);
    }

    /** The members of a message; the first starts its results where the message's position says. */
    private static final class TaskItems implements Iterator<TaskItem>, Buffered {
        private final MsgItem msg;
        private final Pager<GroupMsgTask> pager;
        private PagePosition resultStart;

        TaskItems(MsgItem msg, Pager<GroupMsgTask> pager) {
            this.msg = msg;
            this.pager = pager;
            this.resultStart = msg.resultStart();
        }

        @Override
        public boolean hasNext() {
            return pager.hasNext();
        }

        @Override
        public TaskItem next() {
            PagePosition before = pager.position();
            GroupMsgTask task = pager.next();
            TaskItem item = new TaskItem(msg, task.getUserid(), task, before, resultStart, null);
            resultStart = PagePosition.START;
            return item;
        }

        @Override
        public boolean hasBuffered() {
            return pager.hasBuffered();
        }
    }

    private Iterator<ExportRecord> resultRecords(TaskItem t) {
        if (t.refused() != null) {
            return List.of(t.refused()).iterator();
        }
        MsgItem m = t.msg();
        Pager<GroupMsgSendResult> pager = new Pager<>(GroupMsgApi.RESULT,
                cursor -> client.resultPage(m.msgid(), t.userid(), spec.limitOf(GroupMsgApi.RESULT), cursor),
                t.resultStart(), GroupMsgExport::resultKey, null);
        Iterator<ExportRecord> results = skippingRefusal(new Mapped<>(pager, result -> new ExportRecord(result,
                m.window(), m.msg(), t.userid(), resultPosition(t, pager.position()))),
                e -> refusedResults(t, pager, e));
        if (members == null) {
            return results;
        }
        boolean resumed = t.resultStart() != null && !t.resultStart().equals(PagePosition.START);
        Iterator<ExportRecord> read = members.read(m.msgid(), m.msg(), t.userid(), t.task(), resumed, results,
                () -> resultPosition(t, pager.position()));
        return read != null ? read : Collections.emptyIterator();
    }

    private static ExportPosition resultPosition(TaskItem t, PagePosition result) {
        return new ExportPosition(t.msg().window(), t.msg().resume(), t.before(), result);
    }

    /** The marker of a member's refused send results: the export goes on after the member. */
    private static ExportRecord refusedResults(TaskItem t, Pager<GroupMsgSendResult> pager, WecomApiException e) {
        MsgItem m = t.msg();
        PagePosition at = pager.position();
        Unreadable refused = new Unreadable(GroupMsgApi.RESULT, m.msgid(), createTime(m), t.userid(),
                new ExportPosition(null, null, null, at), e.getErrcode(), e.getErrmsg(),
                MemberState.taskState(t.task()), MemberState.sent(t.task()), null, 0);
        return new ExportRecord(refused, m.window(), m.msg(), t.userid(),
                resultPosition(t, PagePosition.finished(at.ordinal())), ExportRecord.Change.NONE);
    }

    private Pager<GroupMsgTask> taskPager(MsgItem m) {
        int limit = spec.limitOf(GroupMsgApi.TASK);
        return new Pager<>(GroupMsgApi.TASK, cursor -> client.taskPage(m.msgid(), limit, cursor), m.taskStart(),
                GroupMsgTask::getUserid, null);
    }

    /** A send result is to one customer (single chat) or one group chat; one sequence holds one kind. */
    private static String resultKey(GroupMsgSendResult result) {
        return result.getExternalUserid() != null ? result.getExternalUserid() : result.getChatId();
    }

    private static PagePosition orStart(PagePosition position) {
        return position == null ? PagePosition.START : position;
    }

    /** The windows of the range from {@code first} on. */
    private Iterator<TimeWindow> windows(TimeWindow first) {
        return new Iterator<>() {
            private TimeWindow next = first;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public TimeWindow next() {
                TimeWindow window = next;
                next = window.next(rangeEnd, spec.windowSeconds());
                return window;
            }
        };
    }

    /**
     * One window's messages, each with the positions its records resume at. The first message of the export starts its
     * children where {@code from} says.
     */
    private final class WindowMessages implements Iterator<MsgItem>, Buffered {
        private final TimeWindow window;
        private final Pager<GroupMsg> pager;
        private PagePosition taskStart;
        private PagePosition resultStart;

        WindowMessages(TimeWindow window, ExportPosition from) {
            this.window = window;
            boolean first = window.equals(from.window());
            // a record the server returns outside the window's own span is another window's (or past the range)
            this.pager = new Pager<>(GroupMsgApi.LIST,
                    cursor -> client.listPage(spec.listQuery(), spec.limitOf(GroupMsgApi.LIST), window.start(),
                            window.end(), cursor),
                    first ? from.list() : PagePosition.START, GroupMsg::getMsgid,
                    msg -> msg.getCreateTime() == null || window.owns(msg.getCreateTime()));
            this.taskStart = first ? orStart(from.task()) : PagePosition.START;
            this.resultStart = first ? orStart(from.result()) : PagePosition.START;
        }

        @Override
        public boolean hasNext() {
            return pager.hasNext();
        }

        @Override
        public MsgItem next() {
            PagePosition before = pager.position();
            GroupMsg msg = pager.next();
            MsgItem item = spec.api() == GroupMsgApi.LIST
                    ? new MsgItem(window, msg, msg.getMsgid(), pager.position(), null, null)
                    : new MsgItem(window, msg, msg.getMsgid(), before, taskStart, resultStart);
            taskStart = PagePosition.START;
            resultStart = PagePosition.START;
            return item;
        }

        @Override
        public boolean hasBuffered() {
            return pager.hasBuffered();
        }
    }
}
