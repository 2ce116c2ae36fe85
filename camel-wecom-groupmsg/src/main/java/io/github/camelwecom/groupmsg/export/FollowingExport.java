package io.github.camelwecom.groupmsg.export;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.github.camelwecom.groupmsg.client.CallBudget;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.WecomClient;
import io.github.camelwecom.groupmsg.export.ExportRecord.Change;

/**
 * The export of a range that consumers and producers drive, pass after pass: it plans the passes, hands on their
 * records and those of retries, and commits.
 * <p>
 * Bounded (the range ended before the selection first started): one pass over the range, every record
 * {@link Change#NEW}. Following: each pass reads up to now, and the next starts {@link ExportSettings#lookbackSeconds
 * lookback} before where the last ended, so the messages of that span are listed again. Records already handed on come
 * again only when they changed ({@link ChangeTracking}): a message listed again is skipped, a task whose status or
 * send_time changed is {@link Change#UPDATED}, and the tasks of a message whose every member is settled are not read
 * again. A member's send results are read when its task is new or changed, while they disagree with it, or when its
 * reconciliation is due ({@link MemberReconciliation}); each result is then what it is to the reader
 * ({@link ResultsView}), and the member's {@link Change#NONE} marker remembers them when committed.
 * <p>
 * With {@link ExportSettings#skipUnreadable skipUnreadable} a message's tasks or a member's send results that WeCom
 * refuses for that data alone ({@link Unreadable}) do not hold up the rest: the refusal is a marker, committing it
 * keeps the read, and each later pass first reads the kept ones again from where they stopped ({@link RefusedReads};
 * the pass's own reading leaves them alone); a read that succeeds ends in a {@link Recovered} marker.
 * <p>
 * The caller hands records on and {@link #commit commits} each once it was processed; {@link #state()} and the parts
 * {@link #takeChangedParts()} gives are what it saves to resume exactly.
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
     * @param lastPassEnd end of the last pass read to its end, following only
     * @param memberInProgress the send results committed of the member in progress ({@link ResultsView.Builder})
     * @param tracked what was handed on from the span read again ({@link ChangeTracker}), following only, as parts (id
     * to value) that change independently: what a restored export starts from. {@link #state()} leaves it null;
     * {@link #takeChangedParts()} tells what changed, so that a store writes only that.
     * @param pass passes completed, counting those that only read refused data again
     * @param unreadable what WeCom refused and is read again by later passes
     */
    public record State(long passStart, Long passEnd, ExportPosition position, boolean finished, Long lastPassEnd,
            String memberInProgress, @JsonIgnore Map<String, String> tracked, long pass,
            List<Unreadable> unreadable) {
    }

    /** The content of a {@link Change#NONE} marker: what WeCom refused before was now read to its end. */
    public record Recovered(Unreadable read) {
    }

    /**
     * The content of a {@link Change#NONE} marker: a member whose send results were all read (and committed before it,
     * those unchanged as {@link Change#NONE}).
     *
     * @param task its task as read ({@link MemberState#taskState}); {@code sent} whether it said sent
     * @param reconciled read because its reconciliation was due, not because its task changed
     * @param rechecked read again because its results disagreed with its sent task
     * @param changed some of its results were handed on
     */
    public record MemberRead(String msgid, String userid, int task, boolean sent, boolean reconciled,
            boolean rechecked, boolean changed) {
    }

    private static final Object PASS = new Object();
    /** A following pass spanning more than this many lookbacks (a minute at least) is catching up on history. */
    private static final int CATCHING_UP = 4;

    private final WecomClient client;
    private final ExecutorService executor;
    private final ExportSettings settings;
    private final ExportSpec spec;
    private final Range range;
    private final ExportListener listener;
    private final ChangeTracking tracking;
    private final RefusedReads refused;
    private final WindowProgress windows;
    /** Per record handed out and not committed yet: the refused read it belongs to, or {@link #PASS}. */
    private final Deque<Object> sources = new ArrayDeque<>();

    private long passStart;
    private Long passEnd;
    private ExportPosition position;
    private boolean finished;
    private Long lastPassEnd;
    private long pass;
    private boolean open;
    private GroupMsgExport reader;
    private CallBudget.Priority priority = CallBudget.Priority.BACKFILL;
    /** Result exports in follow mode: how the open pass reads members. */
    private MemberReconciliation members;
    private ExportRecord peeked;
    private Object peekedSource;
    private long reconciledMembers;
    private long reconciledChanges;

    /**
     * @param executor runs the fan-out's reads, so that the next records are read while the caller works on these
     * @param from the saved state, null to start at the range's start
     * @param listener told what the commits mean
     */
    public FollowingExport(WecomClient client, ExecutorService executor, ExportSettings settings, Range range,
            State from, ExportListener listener) {
        this.client = client;
        this.executor = executor;
        this.settings = settings;
        this.spec = settings.spec();
        this.range = range;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.passStart = range.start();
        this.refused = new RefusedReads(from == null ? null : from.unreadable());
        this.tracking = new ChangeTracking(range.following(), from, settings.lookbackSeconds(), spec.msgid());
        this.windows = new WindowProgress(listener, spec.windowSeconds());
        if (from != null) {
            restore(from);
        }
    }

    private void restore(State from) {
        passStart = from.passStart();
        passEnd = from.passEnd();
        position = from.position();
        finished = from.finished();
        lastPassEnd = from.lastPassEnd();
        pass = from.pass();
    }

    /**
     * Opens the pass to read at {@code now}, or reopens the one in progress; false when there is none. A bounded export
     * that read its range still opens passes that only read refused data again, while there is some.
     */
    public boolean open(long now) {
        if (open) {
            return true;
        }
        boolean main = !finished;
        if (main && !planPass(now)) {
            return false;
        }
        members = tracking.tracker() != null && spec.api() == GroupMsgApi.RESULT
                ? new MemberReconciliation(tracking.tracker(), refused, settings.reconcileSeconds(), lastPassEnd,
                        passEnd)
                : null;
        priority = passPriority();
        boolean retries = refused.planRetries(pass, this::retryReader);
        if (!main && !retries) {
            return false;
        }
        if (main) {
            reader = passReader();
        }
        open = true;
        return true;
    }

    /** Sets the end of a pass that starts now, unless one is in progress; false when there is nothing to read yet. */
    private boolean planPass(long now) {
        if (passEnd == null) {
            long end = range.end() == null ? now : Math.min(range.end(), now);
            if (end < passStart && spec.msgid() == null) {
                return false;
            }
            passEnd = Math.max(end, passStart);
        }
        if (spec.msgid() == null) {
            windows.open(passStart, passEnd, position);
        }
        return true;
    }

    /**
     * Who goes first when the call budget binds: history (a bounded range, a following export's first pass, or a pass
     * catching up on a span much longer than the lookback, after a stop) waits behind every corp's recent changes.
     */
    private CallBudget.Priority passPriority() {
        if (!range.following() || lastPassEnd == null || passEnd == null) {
            return CallBudget.Priority.BACKFILL;
        }
        long span = passEnd - passStart;
        return span > CATCHING_UP * Math.max(settings.lookbackSeconds(), 60) ? CallBudget.Priority.BACKFILL
                : CallBudget.Priority.FRESH;
    }

    /** The open pass's place in the call budget: {@code BACKFILL} for history, {@code FRESH} for recent changes. */
    public CallBudget.Priority priority() {
        return priority;
    }

    private GroupMsgExport passReader() {
        ExportPosition start = position != null
                ? position
                : ExportPosition.startOf(spec.msgid() != null ? null
                        : TimeWindow.first(passStart, passEnd, spec.windowSeconds()));
        ChangeTracker tracker = tracking.tracker();
        return new GroupMsgExport(client.withPriority(priority), spec, start, passEnd, executor,
                members == null ? null : members::read,
                settings.skipUnreadable() ? msgid -> refused.pending(GroupMsgApi.TASK, msgid, null) : null,
                tracker == null ? null : tracker::settled);
    }

    private GroupMsgExport retryReader(Unreadable read) {
        return GroupMsgExport.retry(client.withPriority(priority), spec, read, executor,
                members == null ? null : members.forRetry(read));
    }

    public boolean isOpen() {
        return open;
    }

    /** Whether the open pass has a record to hand on (or a marker to commit): refused data first, then the pass's. */
    public boolean hasNext() {
        while (peeked == null && open) {
            ExportRecord retried = refused.next();
            if (retried != null) {
                peek(tracking.select(retried), refused.retrying());
            } else if (reader != null && reader.hasNext()) {
                peek(tracking.select(reader.next()), PASS);
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

    /** The record was processed: the export resumes after it, remembers it, and tells the listener. */
    public void commit(ExportRecord record) {
        Object source = sources.pollFirst();
        Unreadable retried = source instanceof Unreadable u ? refused.kept(u) : null;
        if (source == PASS) {
            windows.committed(record);
        }
        if (record.record() instanceof Unreadable refusal) {
            commitRefusal(record, refusal, source == PASS, retried);
        } else if (record.record() instanceof Recovered recovered) {
            refused.recovered(recovered.read());
            listener.readRecovered(recovered.read());
        } else {
            moveOn(record, source == PASS, retried);
            tracking.remember(record, passEnd);
            report(record);
        }
    }

    private void commitRefusal(ExportRecord record, Unreadable refusal, boolean inPass, Unreadable retried) {
        boolean again = refused.refused(refusal, pass, tracking.takeMemberInProgress());
        if (inPass) {
            position = record.position();
        } else if (retried != null && !retried.key().equals(refusal.key())) {
            refused.readTo(retried, record.position()); // a member within a message's retry
        }
        listener.readRefused(refused.kept(refusal), again);
    }

    /** Where reading resumes after the record: in the pass, or in the refused read it retried. */
    private void moveOn(ExportRecord record, boolean inPass, Unreadable retried) {
        if (inPass) {
            position = record.position();
            return;
        }
        if (retried == null) {
            return;
        }
        if (record.record() instanceof MemberRead && retried.api() == GroupMsgApi.RESULT) {
            tracking.addMemberInProgress(retried.handedOn()); // what was handed on before the refusal counts too
        }
        refused.readTo(retried, record.position());
    }

    private void report(ExportRecord record) {
        if (record.emitted()) {
            listener.recordCommitted(record);
        } else if (record.record() instanceof MemberRead read && read.reconciled()) {
            reconciledMembers++;
            reconciledChanges += read.changed() ? 1 : 0;
            listener.memberReconciled(read.changed());
        } else if (record.record() instanceof MemberRead read && read.rechecked()) {
            listener.memberRechecked(read.changed());
        }
    }

    /** The open pass was read to its end and every record of it committed. */
    public void completePass() {
        boolean main = reader != null;
        close();
        pass++;
        if (!main) {
            return;
        }
        long start = passStart;
        long end = passEnd;
        windows.passRead();
        nextPass(end);
        listener.passDone(start, end, finished, refused.size());
    }

    /** After a pass up to {@code end}: bounded, the export is finished; following, the next pass reads up to now. */
    private void nextPass(long end) {
        position = null;
        passEnd = null;
        if (!range.following() || range.end() != null && end >= range.end()) {
            finished = true;
            return;
        }
        lastPassEnd = end;
        passStart = Math.max(range.start(), end + 1 - settings.lookbackSeconds());
        tracking.forgetBefore(passStart);
    }

    /** Drops the open pass's reader; the pass reopens where the last committed record left it. */
    @Override
    public void close() {
        peeked = null;
        open = false;
        sources.clear();
        refused.close();
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    /** Where the export stands, without the tracked parts ({@link #takeChangedParts()}). */
    public State state() {
        return new State(passStart, passEnd, position, finished, lastPassEnd, tracking.memberInProgress(), null,
                pass, refused.isEmpty() ? null : refused.list());
    }

    /**
     * The tracked parts that changed since this was last called (or since the export was created): id to value, null
     * for a part that is gone. Empty for a bounded export. A store that writes them before the {@link #state()} of the
     * same moment resumes exactly: parts ahead of the state only hold records that were handed on.
     */
    public Map<String, String> takeChangedParts() {
        return tracking.takeChangedParts();
    }

    /** What WeCom refused and later passes read again, in the order it was refused. */
    public List<Unreadable> getUnreadable() {
        return refused.list();
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
}
