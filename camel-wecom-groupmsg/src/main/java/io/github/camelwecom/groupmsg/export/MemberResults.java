package io.github.camelwecom.groupmsg.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.export.ExportRecord.Change;

/**
 * A member's send results, relabelled, then its {@link FollowingExport.MemberRead} marker. When compared with what was
 * handed on before, they are read whole first and handed on only if their digest differs from it.
 */
final class MemberResults implements Iterator<ExportRecord>, Buffered {

    /** Whose results: the message (null when the export reads one msgid) and the member's task state. */
    record Of(String msgid, GroupMsg message, String userid, int task) {
    }

    private final Of member;
    private final Change change;
    private final Supplier<ExportPosition> end;
    private final ChangeTracker.Member compareWith;
    private final boolean reconciling;
    private Iterator<ExportRecord> source;
    private boolean compared;
    private Long unchangedDigest;
    private boolean markerDone;

    private MemberResults(Of member, Change change, Iterator<ExportRecord> source, Supplier<ExportPosition> end,
            ChangeTracker.Member compareWith, boolean reconciling) {
        this.member = member;
        this.change = change;
        this.source = source;
        this.end = end;
        this.compareWith = compareWith;
        this.reconciling = reconciling;
    }

    /** Every result, as {@code change}; {@code end} is the position after the last one, once they are read. */
    static MemberResults all(Of member, Change change, Iterator<ExportRecord> source, Supplier<ExportPosition> end) {
        return new MemberResults(member, change, source, end, null, false);
    }

    /**
     * The results only when they differ from {@code before}, as {@code change}.
     *
     * @param reconciling read because the member's reconciliation was due (its marker says so)
     */
    static MemberResults ifChanged(Of member, Change change, Iterator<ExportRecord> source,
            Supplier<ExportPosition> end, ChangeTracker.Member before, boolean reconciling) {
        return new MemberResults(member, change, source, end, before, reconciling);
    }

    @Override
    public boolean hasNext() {
        if (compareWith != null && !compared) {
            compared = true;
            compare();
        }
        return source.hasNext() || !markerDone;
    }

    /** Reads the results whole, to hand them on only when their digest differs from what was handed on. */
    private void compare() {
        List<ExportRecord> all = new ArrayList<>();
        source.forEachRemaining(all::add);
        if (!all.isEmpty() && !all.get(all.size() - 1).emitted()) {
            // refused while reconciling: nothing was handed on, the next reconciliation tries again
            source = Collections.emptyIterator();
            markerDone = true;
            return;
        }
        long digest = 0;
        for (ExportRecord r : all) {
            digest += ChangeTracker.resultDigest((GroupMsgSendResult) r.record());
        }
        boolean changed = digest != compareWith.results();
        unchangedDigest = changed ? null : digest;
        source = changed ? all.iterator() : Collections.emptyIterator();
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
        return new ExportRecord(new FollowingExport.MemberRead(member.msgid(), member.userid(), member.task(),
                unchangedDigest, reconciling, changed), after.window(), member.message(), member.userid(), after,
                Change.NONE);
    }

    @Override
    public boolean hasBuffered() {
        return !markerDone && (compared || source instanceof Buffered b && b.hasBuffered());
    }
}
