package io.github.camelwecom.groupmsg.export;

import java.util.Iterator;
import java.util.function.Supplier;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;

/**
 * Follow mode, result exports: whether a pass reads a member's send results. A member's results change when the member
 * sends, which its task shows, so they are read when the task is new or changed. WeCom delivers asynchronously: a task
 * that says sent while results still say unsent has them read again on later passes, backing off
 * ({@link MemberState#recheckDue}). As a safety net each member that can still change is also read once per
 * {@code reconcileSeconds}, at a moment of its own so that these reads spread evenly over the passes; a settled member
 * (task sent, every result final) is not read again.
 * <p>
 * One per pass, for the pass's span of now; it runs on fan-out workers.
 */
final class MemberReconciliation {

    private final ChangeTracker tracker;
    private final RefusedReads refused;
    private final long reconcileSeconds;
    /** The pass's span of now, {@code (lastPassEnd, passEnd]}; null ends when there is none. */
    private final Long lastPassEnd;
    private final Long passEnd;

    /**
     * @param lastPassEnd end of the pass before, null for the first
     * @param passEnd end of this pass, null for a pass that only reads refused data again
     */
    MemberReconciliation(ChangeTracker tracker, RefusedReads refused, long reconcileSeconds, Long lastPassEnd,
            Long passEnd) {
        this.tracker = tracker;
        this.refused = refused;
        this.reconcileSeconds = reconcileSeconds;
        this.lastPassEnd = lastPassEnd;
        this.passEnd = passEnd;
    }

    /** How the pass reads a member: a {@link GroupMsgExport.MemberReads}. */
    Iterator<ExportRecord> read(String msgid, GroupMsg message, String userid, GroupMsgTask task, boolean resumed,
            Iterator<ExportRecord> results, Supplier<ExportPosition> end) {
        if (refused.pending(GroupMsgApi.RESULT, msgid, userid)) {
            return null; // its own retry reads it
        }
        MemberState before = tracker.member(msgid, userid);
        MemberResults.Of member = new MemberResults.Of(msgid, message, userid, MemberState.taskState(task),
                MemberState.sent(task));
        if (before == null || resumed || task == null || before.task() != member.task()) {
            // without a task (one userid) there is nothing to tell a change by: the results are read each pass
            return new MemberResults(member, view(before), results, end, MemberResults.Why.TASK);
        }
        if (passEnd != null && before.recheckDue(passEnd)) {
            return new MemberResults(member, view(before), results, end, MemberResults.Why.RECHECK);
        }
        if (before.settled() || !due(msgid, userid)) {
            return null;
        }
        return new MemberResults(member, view(before), results, end, MemberResults.Why.RECONCILE);
    }

    /** How a retry reads members: as the pass does, or for a refused member with the task it had then. */
    GroupMsgExport.MemberReads forRetry(Unreadable read) {
        if (read.api() == GroupMsgApi.TASK) {
            return this::read;
        }
        return (msgid, message, userid, task, resumed, results, end) -> new MemberResults(
                new MemberResults.Of(msgid, message, userid, read.taskState(), read.taskSent()),
                view(tracker.member(msgid, userid)), results, end, MemberResults.Why.TASK);
    }

    private static ResultsView view(MemberState before) {
        return before == null || before.results() == null ? ResultsView.NONE : before.results();
    }

    /**
     * Whether the pass's span of now holds the member's reconciliation moment: one per {@code reconcileSeconds}, at an
     * offset of its own.
     */
    private boolean due(String msgid, String userid) {
        if (reconcileSeconds <= 0 || lastPassEnd == null || passEnd == null) {
            return false;
        }
        long offset = Math.floorMod(Fnv1a.hash(msgid, userid), reconcileSeconds);
        return Math.floorDiv(passEnd - offset, reconcileSeconds) > Math.floorDiv(lastPassEnd - offset,
                reconcileSeconds);
    }
}
