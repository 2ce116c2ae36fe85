package io.github.camelwecom.groupmsg.export;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.export.ExportRecord.Change;

/**
 * A member's send results, each as what it is to the reader given what it was handed before ({@link ResultsView}):
 * {@link Change#NEW}, {@link Change#UPDATED} when its own status changed, or {@link Change#NONE} when it did not (not
 * handed on, but committed, so that the member's new view counts it); then its {@link FollowingExport.MemberRead}
 * marker.
 */
final class MemberResults implements Iterator<ExportRecord>, Buffered {

    /** Whose results: the message (null when the export reads one msgid) and the member's task as read. */
    record Of(String msgid, GroupMsg message, String userid, int task, boolean sent) {
    }

    /** Why they are read, which the marker tells. */
    enum Why {
        /** New, resumed, or its task changed. */
        TASK,
        /** They disagreed with the sent task. */
        RECHECK,
        /** Its reconciliation was due. */
        RECONCILE
    }

    private final Of member;
    private final Iterator<ExportRecord> source;
    private final Supplier<ExportPosition> end;
    private final ResultsView before;
    private final Why why;
    private boolean changed;
    private boolean markerDone;

    /**
     * @param before what the reader was handed of these results
     * @param end the position after the last result, once they are read
     */
    MemberResults(Of member, ResultsView before, Iterator<ExportRecord> source, Supplier<ExportPosition> end,
            Why why) {
        this.member = member;
        this.before = before;
        this.source = source;
        this.end = end;
        this.why = why;
    }

    @Override
    public boolean hasNext() {
        return !markerDone;
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
            Change change = before.change((GroupMsgSendResult) record.record());
            changed |= change != Change.NONE;
            return record.as(change);
        }
        markerDone = true;
        ExportPosition after = end.get();
        return new ExportRecord(new FollowingExport.MemberRead(member.msgid(), member.userid(), member.task(),
                member.sent(), why == Why.RECONCILE, why == Why.RECHECK, changed), after.window(), member.message(),
                member.userid(), after,
                Change.NONE);
    }

    @Override
    public boolean hasBuffered() {
        return !markerDone && source instanceof Buffered b && b.hasBuffered();
    }
}
