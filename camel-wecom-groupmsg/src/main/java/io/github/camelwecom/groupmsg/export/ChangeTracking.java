package io.github.camelwecom.groupmsg.export;

import java.util.Map;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import io.github.camelwecom.groupmsg.export.ExportRecord.Change;

/**
 * Between a following export and its {@link ChangeTracker}: which records of a pass are handed on (list and task
 * records; a member's send results are chosen by {@link MemberReconciliation}), and what a commit adds to what is
 * remembered. A bounded export tracks nothing: each record is new. It also builds the view of the member whose send
 * results are being committed, which a checkpoint in the middle of that member keeps.
 */
final class ChangeTracking {

    /** Null for a bounded export. */
    private final ChangeTracker tracker;
    private final long lookback;
    /** The msgid of records that come without their message: the export reads that one message. */
    private final String msgid;
    private final ResultsView.Builder member = new ResultsView.Builder();

    /**
     * @param from the saved state, null to start afresh
     * @param lookback seconds each following pass reads again before where the last one ended
     */
    ChangeTracking(boolean following, FollowingExport.State from, long lookback, String msgid) {
        this.tracker = following ? ChangeTracker.decode(from == null ? null : from.tracked()) : null;
        if (from != null) {
            member.addAll(from.memberInProgress());
        }
        this.lookback = lookback;
        this.msgid = msgid;
    }

    /** What a result export's member reads go by; null when bounded. */
    ChangeTracker tracker() {
        return tracker;
    }

    /** What a list or task record is to the reader, null when it was handed on unchanged. */
    ExportRecord select(ExportRecord record) {
        if (tracker == null || !record.emitted()) {
            return record;
        }
        if (record.record() instanceof GroupMsg msg) {
            return tracker.hasMessage(msg.getMsgid()) ? null : record;
        }
        if (record.record() instanceof GroupMsgTask task) {
            MemberState before = tracker.member(msgidOf(record), task.getUserid());
            if (before == null) {
                return record;
            }
            return before.task() == MemberState.taskState(task) ? null : record.as(Change.UPDATED);
        }
        return record; // send results: the member's reading chose them
    }

    /** A record of a pass up to {@code passEnd} (null: of a retry alone) was committed. */
    void remember(ExportRecord record, Long passEnd) {
        if (tracker == null) {
            return;
        }
        if (record.record() instanceof GroupMsgSendResult result) {
            member.add(result);
            return;
        }
        String id = msgidOf(record);
        long createTime = record.message() != null && record.message().getCreateTime() != null
                ? record.message().getCreateTime() : Long.MAX_VALUE;
        // only what the next pass reads again is worth remembering
        boolean readAgain = passEnd != null && createTime >= passEnd + 1 - lookback;
        if (record.record() instanceof FollowingExport.MemberRead read) {
            ResultsView results = member.build();
            if (readAgain) {
                MemberState before = tracker.member(id, read.userid());
                tracker.putMember(id, createTime, read.userid(),
                        MemberState.read(read.task(), read.sent(), results, before, passEnd));
            }
        } else if (readAgain && record.record() instanceof GroupMsg) {
            tracker.putMessage(id, createTime);
        } else if (readAgain && record.record() instanceof GroupMsgTask task) {
            tracker.putMember(id, createTime, task.getUserid(), MemberState.read(MemberState.taskState(task),
                    MemberState.sent(task), null, null, passEnd));
        }
    }

    /** A refusal ends the member in progress: the view of its results committed so far, which it keeps. */
    String takeMemberInProgress() {
        String partial = member.partial();
        member.build();
        return partial;
    }

    /** The member's results handed on before its refusal are part of its view too. */
    void addMemberInProgress(String partial) {
        member.addAll(partial);
    }

    /** The next pass starts at {@code epochSecond}: what it does not read again is forgotten. */
    void forgetBefore(long epochSecond) {
        if (tracker != null) {
            tracker.forgetBefore(epochSecond);
        }
    }

    /** The view of the send results committed of the member in progress, null when none. */
    String memberInProgress() {
        return member.partial();
    }

    /** What changed of what is remembered since the last call; empty when bounded. */
    Map<String, String> takeChangedParts() {
        return tracker == null ? Map.of() : tracker.takeChangedParts();
    }

    private String msgidOf(ExportRecord record) {
        return record.message() != null ? record.message().getMsgid() : msgid;
    }
}
