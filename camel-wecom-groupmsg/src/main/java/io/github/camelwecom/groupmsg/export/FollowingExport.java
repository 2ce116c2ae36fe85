package io.github.camelwecom.groupmsg.export;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.WecomClient;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import io.github.camelwecom.groupmsg.export.ExportRecord.Change;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;

/**
 * The export of a range that consumers and producers drive, pass after pass, with what it hands on decided here and
 * nowhere else.
 * <p>
 * Bounded (the range ended before the selection first started): one pass over the range, every record
 * {@link Change#NEW}. Following: each pass reads up to now, and the next starts {@code lookback} before where the last
 * ended, so the messages of that span are listed again. Records already handed on come again only when they changed:
 * <ul>
 * <li>list: a message listed again is skipped;</li>
 * <li>task: each tracked message's tasks are read every pass; a task whose status or send_time changed is
 * {@link Change#UPDATED};</li>
 * <li>result: a member's send results change when the member sends, which its task shows, so a member's results are
 * read only when its task is new or changed. As a safety net each member's results are also read once per
 * {@code reconcileSeconds}, spread over the passes; when their digest differs from what was handed on they all come
 * again as {@link Change#UPDATED}. A member read ends with a {@link Change#NONE} marker that remembers it when
 * committed.</li>
 * </ul>
 * With {@code skipUnreadable} a message's tasks or a member's send results that WeCom refuses for that data alone
 * ({@link Unreadable}) do not hold up the rest: the refusal is a marker, committing it keeps the read, and each later
 * pass first reads the kept ones again from where they stopped (the pass's own reading leaves them alone); a read that
 * succeeds ends in a {@link Recovered} marker.
 * <p>
 * The caller hands records on and {@link #commit commits} each once it was processed; {@link #state()} is what it
 * saves to resume exactly.
 */
public final class FollowingExport implements AutoCloseable {

    /**
     * The range as resolved when the selection first started.
     *
     * @param following whether passes follow now (no end, or an end that had not passed); it decides the dedupe
     */
    public record Range(long start, Long end, boolean following) {
    }

    /**
     * What resumes an export exactly.
     *
     * @param lastPassEnd  end of the last pass read to its end, following only
     * @param memberDigest digest of the send results committed of the member in progress
     * @param tracked      what was handed on from the span read again ({@link ChangeTracker}), following only
     * @param pass         passes completed, counting those that only read refused data again
     * @param unreadable   what WeCom refused and is read again by later passes
     */
    public record State(long passStart, Long passEnd, ExportPosition position, boolean finished, Long lastPassEnd,
                        Long memberDigest, String tracked, long pass, List<Unreadable> unreadable) {
    }

    /** The content of a {@link Change#NONE} marker: what WeCom refused before was now read to its end. */
    public record Recovered(Unreadable read) {
    }

    /**
     * The content of a {@link Change#NONE} marker: a member whose send results were all read.
     *
     * @param results    digest of its results when they were read but not handed on (a reconciliation that found
     *                   them unchanged); null when they were handed on, and their commits summed it up
     * @param reconciled read because its reconciliation was due, not because its task changed
     * @param changed    reconciled and found different from what was handed on
     */
    public record MemberRead(String msgid, String userid, int task, Long results, boolean reconciled,
                             boolean changed) {
    }

    private final WecomClient client;
    private final ExportSpec spec;
    private final ExecutorService executor;
    private final Range range;
    private final long lookback;
    private final long reconcileSeconds;
    private final ChangeTracker tracker;
    private final boolean skipUnreadable;
    /**
     * Refused reads by {@link Unreadable#key()}, in the order they were refused. Changed only by commits on the
     * caller's thread, also read by fan-out workers: a worker at worst reads a refused read once more in a pass.
     */
    private final Map<String, Unreadable> unreadable = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Per record handed out and not committed yet: the refused read it belongs to, or {@link #PASS}. */
    private final Deque<Object> sources = new ArrayDeque<>();
    private static final Object PASS = new Object();

    private long passStart;
    private Long passEnd;
    private ExportPosition position;
    private boolean finished;
    private Long lastPassEnd;
    private long memberDigest;
    private long pass;
    private boolean open;
    private GroupMsgExport reader;
    private Deque<Unreadable> toRetry;
    private Unreadable retrying;
    private GroupMsgExport retryReader;
    private boolean refusedAgain;
    private ExportRecord peeked;
    private Object peekedSource;
    private long reconciledMembers;
    private long reconciledChanges;
    private final ExportListener listener;
    /** Windows of the open pass told done to the listener. */
    private long windowsDone;

    /**
     * @param lookback         seconds each following pass reads again before where the last one ended
     * @param reconcileSeconds result exports: how often each tracked member's results are read again; 0 never
     * @param skipUnreadable   keep going past data WeCom refuses for one message; false fails there
     * @param from             the saved state, null to start at the range's start
     */
    public FollowingExport(WecomClient client, ExportSpec spec, ExecutorService executor, Range range, long lookback,
                           long reconcileSeconds, boolean skipUnreadable, State from, ExportListener listener) {
        this.listener = listener;
        this.client = client;
        this.spec = spec;
        this.executor = executor;
        this.range = range;
        this.lookback = lookback;
        this.reconcileSeconds = reconcileSeconds;
        this.skipUnreadable = skipUnreadable;
        this.passStart = range.start();
        if (from != null) {
            passStart = from.passStart();
            passEnd = from.passEnd();
            position = from.position();
            finished = from.finished();
            lastPassEnd = from.lastPassEnd();
            memberDigest = from.memberDigest() == null ? 0 : from.memberDigest();
            pass = from.pass();
            if (from.unreadable() != null) {
                from.unreadable().forEach(u -> unreadable.put(u.key(), u));
            }
            if (position != null && position.window() != null) {
                windowsDone = (position.window().start() - passStart) / spec.windowSeconds();
            }
        }
        this.tracker = range.following() ? ChangeTracker.decode(from == null ? null : from.tracked()) : null;
    }

    /**
     * Opens the pass to read at {@code now}, or reopens the one in progress; false when there is none. A bounded
     * export that read its range still opens passes that only read refused data again, while there is some.
     */
    public boolean open(long now) {
        if (open) {
            return true;
        }
        boolean main = !finished;
        if (main && passEnd == null) {
            long end = range.end() == null ? now : Math.min(range.end(), now);
            if (end < passStart && spec.msgid() == null) {
                return false;
            }
            passEnd = Math.max(end, passStart);
        }
        toRetry = new ArrayDeque<>();
        synchronized (unreadable) {
            unreadable.values().stream().filter(u -> u.refusedIn() < pass).forEach(toRetry::add);
        }
        if (!main && toRetry.isEmpty()) {
            return false;
        }
        if (main) {
            ExportPosition start = position != null
                    ? position
                    : ExportPosition.startOf(spec.msgid() != null ? null
                            : TimeWindow.first(passStart, passEnd, spec.windowSeconds()));
            reader = new GroupMsgExport(client, spec, start, passEnd, executor,
                    tracker != null && spec.api() == GroupMsgApi.RESULT ? this::readMember : null,
                    skipUnreadable ? this::tasksRefused : null);
        }
        open = true;
        return true;
    }

    public boolean isOpen() {
        return open;
    }

    /** Whether the open pass has a record to hand on (or a marker to commit): refused data first, then the pass's. */
    public boolean hasNext() {
        while (peeked == null && open) {
            if (retryReader != null) {
                if (retryReader.hasNext()) {
                    ExportRecord record = retryReader.next();
                    if (record.record() instanceof Unreadable u && u.key().equals(retrying.key())) {
                        refusedAgain = true;
                    }
                    peek(select(record), retrying);
                } else {
                    retryReader.close();
                    retryReader = null;
                    if (!refusedAgain) {
                        peek(new ExportRecord(new Recovered(retrying), null, null, retrying.userid(), null,
                                Change.NONE), retrying);
                    }
                }
            } else if (toRetry != null && !toRetry.isEmpty()) {
                retrying = toRetry.poll();
                refusedAgain = false;
                retryReader = GroupMsgExport.retry(client, spec, retrying, executor, retryMemberReads(retrying));
            } else if (reader != null && reader.hasNext()) {
                peek(select(reader.next()), PASS);
            } else {
                break;
            }
        }
        return peeked != null;
    }

    private void peek(ExportRecord record, Object source) {
        peeked = record;
        peekedSource = source;
    }

    public ExportRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ExportRecord record = peeked;
        peeked = null;
        sources.addLast(peekedSource);
        return record;
    }

    /** The record was processed: the export resumes after it and remembers it. */
    public void commit(ExportRecord record) {
        if (record.emitted()) {
            if (record.window() != null) {
                windowsDone(record.window().start()); // the windows before this record's
            }
            listener.recordCommitted(record);
        }
        Object source = sources.pollFirst();
        Unreadable retried = source instanceof Unreadable u ? unreadable.get(u.key()) : null;
        if (record.record() instanceof Unreadable refused) {
            Unreadable before = unreadable.get(refused.key());
            listener.readRefused(refused, before != null);
            unreadable.put(refused.key(), before != null ? before.refusedAgain(refused, pass, memberDigest)
                    : refused.refusedIn(pass, memberDigest));
            memberDigest = 0;
            if (source == PASS) {
                position = record.position();
            } else if (retried != null && !retried.key().equals(refused.key())) {
                unreadable.put(retried.key(), retried.readTo(record.position())); // a member within a message's retry
            }
            return;
        }
        if (record.record() instanceof Recovered recovered) {
            listener.readRecovered(recovered.read());
            unreadable.remove(recovered.read().key());
            return;
        }
        if (source == PASS) {
            position = record.position();
        } else if (retried != null && record.record() instanceof MemberRead read && retried.api() == GroupMsgApi.RESULT
                   && read.results() == null) {
            // the member's results handed on before the refusal are part of its digest too
            memberDigest += retried.digest();
        }
        if (retried != null) {
            unreadable.put(retried.key(), retried.readTo(record.position()));
        }
        if (tracker == null) {
            return;
        }
        String msgid = msgidOf(record);
        long createTime = record.message() != null && record.message().getCreateTime() != null
                ? record.message().getCreateTime() : Long.MAX_VALUE;
        // only what the next pass reads again is worth remembering
        boolean readAgain = passEnd != null && createTime >= passEnd + 1 - lookback;
        if (record.record() instanceof GroupMsg) {
            if (readAgain) {
                tracker.putMessage(msgid, createTime);
            }
        } else if (record.record() instanceof GroupMsgTask task) {
            if (readAgain) {
                tracker.putMember(msgid, createTime, task.getUserid(),
                        new ChangeTracker.Member(ChangeTracker.taskState(task), 0));
            }
        } else if (record.record() instanceof GroupMsgSendResult result) {
            memberDigest += ChangeTracker.resultDigest(result);
        } else if (record.record() instanceof MemberRead read) {
            long digest = read.results() != null ? read.results() : memberDigest;
            if (readAgain) {
                tracker.putMember(msgid, createTime, read.userid(), new ChangeTracker.Member(read.task(), digest));
            }
            memberDigest = 0;
            reconciledMembers += read.reconciled() ? 1 : 0;
            reconciledChanges += read.changed() ? 1 : 0;
            if (read.reconciled()) {
                listener.memberReconciled(read.changed());
            }
        }
    }

    /** The open pass was read to its end and every record of it committed. */
    public void completePass() {
        boolean main = reader != null;
        if (main) {
            windowsDone(Long.MAX_VALUE);
        }
        windowsDone = 0;
        close();
        pass++;
        if (!main) {
            return;
        }
        long start = passStart;
        long end = passEnd;
        position = null;
        passEnd = null;
        if (!range.following() || range.end() != null && end >= range.end()) {
            finished = true;
            listener.passDone(start, end, true, unreadable.size());
            return;
        }
        lastPassEnd = end;
        passStart = Math.max(range.start(), end + 1 - lookback);
        tracker.forgetBefore(passStart);
        listener.passDone(start, end, false, unreadable.size());
    }

    /** Tells the windows of the open pass that end by {@code before} and were not told yet; none for one window. */
    private void windowsDone(long before) {
        if (passEnd == null) {
            return;
        }
        long size = spec.windowSeconds();
        long total = (passEnd - passStart + size) / size;
        TimeWindow window = TimeWindow.first(passStart, passEnd, size);
        for (long index = 1; total > 1 && window != null && window.end() <= before; index++) {
            if (index > windowsDone) {
                listener.windowDone(window, index, total);
                windowsDone = index;
            }
            window = window.next(passEnd, size);
        }
    }

    /** Drops the open pass's reader; the pass reopens where the last committed record left it. */
    @Override
    public void close() {
        peeked = null;
        open = false;
        sources.clear();
        toRetry = null;
        retrying = null;
        if (retryReader != null) {
            retryReader.close();
            retryReader = null;
        }
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    public State state() {
        return new State(passStart, passEnd, position, finished, lastPassEnd, memberDigest == 0 ? null : memberDigest,
                tracker == null ? null : tracker.encode(), pass, unreadable.isEmpty() ? null : getUnreadable());
    }

    /** What WeCom refused and later passes read again, in the order it was refused. */
    public List<Unreadable> getUnreadable() {
        synchronized (unreadable) {
            return List.copyOf(unreadable.values());
        }
    }

    public long getPassStart() {
        return passStart;
    }

    /** The open pass's end, null between passes. */
    public Long getPassEnd() {
        return passEnd;
    }

    public ExportPosition getPosition() {
        return position;
    }

    public boolean isFinished() {
        return finished;
    }

    /** Members whose results were read again because their reconciliation was due. */
    public long getReconciledMembers() {
        return reconciledMembers;
    }

    /** Reconciled members whose results differed from what was handed on. */
    public long getReconciledChanges() {
        return reconciledChanges;
    }

    /** What a list or task record is to the reader, null when it was handed on unchanged. */
    private ExportRecord select(ExportRecord record) {
        if (tracker == null || !record.emitted()) {
            return record;
        }
        if (record.record() instanceof GroupMsg msg) {
            return tracker.hasMessage(msg.getMsgid()) ? null : record;
        }
        if (record.record() instanceof GroupMsgTask task) {
            ChangeTracker.Member before = tracker.member(msgidOf(record), task.getUserid());
            if (before == null) {
                return record;
            }
            return before.task() == ChangeTracker.taskState(task) ? null : record.as(Change.UPDATED);
        }
        return record; // send results: readMember chose them
    }

    /** Whether the message's tasks were refused and wait to be read again (runs on fan-out workers). */
    private boolean tasksRefused(String msgid) {
        return !unreadable.isEmpty() && pending(GroupMsgApi.TASK, msgid, null);
    }

    private boolean pending(GroupMsgApi api, String msgid, String userid) {
        return unreadable.containsKey(Unreadable.key(api, msgid, userid));
    }

    /** How a retry reads members: as a pass does, or for a refused member with the task state it had then. */
    private GroupMsgExport.MemberReads retryMemberReads(Unreadable refused) {
        if (tracker == null || spec.api() != GroupMsgApi.RESULT) {
            return null;
        }
        if (refused.api() == GroupMsgApi.TASK) {
            return this::readMember;
        }
        return (msgid, message, userid, task, resumed, results, end) -> {
            ChangeTracker.Member before = tracker.member(msgid, userid);
            Change change = before != null && before.results() != 0 ? Change.UPDATED : Change.NEW;
            return new MemberResults(msgid, message, userid, refused.taskState(), change, results, end, null, false);
        };
    }

    /** Result exports: whether and how a member's send results are read (runs on fan-out workers). */
    private Iterator<ExportRecord> readMember(String msgid, GroupMsg message, String userid, GroupMsgTask task,
                                              boolean resumed, Iterator<ExportRecord> results,
                                              Supplier<ExportPosition> end) {
        if (!unreadable.isEmpty() && pending(GroupMsgApi.RESULT, msgid, userid)) {
            return null; // its own retry reads it
        }
        ChangeTracker.Member before = tracker.member(msgid, userid);
        int state = ChangeTracker.taskState(task);
        if (before == null) {
            return new MemberResults(msgid, message, userid, state, Change.NEW, results, end, null, false);
        }
        Change change = before.results() != 0 ? Change.UPDATED : Change.NEW;
        if (resumed || task != null && before.task() != state) {
            return new MemberResults(msgid, message, userid, state, change, results, end, null, false);
        }
        // without a task (one userid) there is nothing to tell a change by: the results are compared each pass
        if (task != null && !reconcileDue(msgid, userid)) {
            return null;
        }
        return new MemberResults(msgid, message, userid, state, change, results, end, before, task != null);
    }

    /**
     * Whether the pass's span of now, (lastPassEnd, passEnd], holds the member's reconciliation moment: one per
     * {@code reconcileSeconds}, at an offset of its own so that the reads spread evenly over the passes.
     */
    private boolean reconcileDue(String msgid, String userid) {
        if (reconcileSeconds <= 0 || lastPassEnd == null) {
            return false;
        }
        long offset = Math.floorMod(ChangeTracker.hash(msgid, userid), reconcileSeconds);
        return Math.floorDiv(passEnd - offset, reconcileSeconds) > Math.floorDiv(lastPassEnd - offset,
                reconcileSeconds);
    }

    private String msgidOf(ExportRecord record) {
        return record.message() != null ? record.message().getMsgid() : spec.msgid();
    }

    /**
     * A member's send results, relabelled, then its marker. When {@code compareWith} is set they are read whole
     * first and handed on only if their digest differs from it.
     */
    private static final class MemberResults implements Iterator<ExportRecord>, Buffered {
        private final String msgid;
        private final GroupMsg message;
        private final String userid;
        private final int task;
        private final Change change;
        private final Supplier<ExportPosition> end;
        private final ChangeTracker.Member compareWith;
        private final boolean reconciling;
        private Iterator<ExportRecord> source;
        private boolean compared;
        private Long unchangedDigest;
        private boolean markerDone;

        MemberResults(String msgid, GroupMsg message, String userid, int task, Change change,
                      Iterator<ExportRecord> source, Supplier<ExportPosition> end, ChangeTracker.Member compareWith,
                      boolean reconciling) {
            this.msgid = msgid;
            this.message = message;
            this.userid = userid;
            this.task = task;
            this.change = change;
            this.source = source;
            this.end = end;
            this.compareWith = compareWith;
            this.reconciling = reconciling;
        }

        @Override
        public boolean hasNext() {
            if (compareWith != null && !compared) {
                compared = true;
                List<ExportRecord> all = new ArrayList<>();
                source.forEachRemaining(all::add);
                if (!all.isEmpty() && !all.get(all.size() - 1).emitted()) {
                    // refused while reconciling: nothing was handed on, the next reconciliation tries again
                    source = Collections.emptyIterator();
                    markerDone = true;
                    return false;
                }
                long digest = 0;
                for (ExportRecord r : all) {
                    digest += ChangeTracker.resultDigest((GroupMsgSendResult) r.record());
                }
                boolean changed = digest != compareWith.results();
                unchangedDigest = changed ? null : digest;
                source = changed ? all.iterator() : Collections.emptyIterator();
            }
            return source.hasNext() || !markerDone;
        }

        @Override
        public ExportRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (source.hasNext()) {
                ExportRecord record = source.next();
                if (!record.emitted()) {
                    markerDone = true; // refused: no marker remembers the member, its retry reads the rest
                    return record;
                }
                return record.as(change);
            }
            markerDone = true;
            ExportPosition after = end.get();
            boolean changed = reconciling && unchangedDigest == null;
            return new ExportRecord(new MemberRead(msgid, userid, task, unchangedDigest, reconciling, changed),
                    after.window(), message, userid, after, Change.NONE);
        }

        @Override
        public boolean hasBuffered() {
            return !markerDone && (compared || source instanceof Buffered b && b.hasBuffered());
        }
    }
}
