package io.github.camelwecom.groupmsg.export;

import java.util.Map;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import io.github.camelwecom.groupmsg.export.ExportRecord.Change;

/**
 * Between a following export and its {@link ChangeTracker}: which records of a pass are handed on (list and task
 * records; a member's send results are chosen by {@link MemberReconciliation}), and what a commit adds to what is
 * remembered. A bounded export tracks nothing: each record is new. It also sums up the digest of the member whose send
 * results are being committed.
 */
final class ChangeTracking {

    private static final String ALL = "all";

    /** Null for a bounded export. */
    private final ChangeTracker tracker;
    private final long lookback;
    /** The msgid of records that come without their message: the export reads that one message. */
    private final String msgid;
    private long memberDigest;

    /**
     * @param from the saved state, null to start afresh
     * @param lookback seconds each following pass reads again before where the last one ended
     */
    ChangeTracking(boolean following, FollowingExport.State from, long lookback, String msgid) {
        this.tracker = following ? ChangeTracker.decode(from == null || from.tracked() == null ? null
                : from.tracked().get(ALL)) : null;
        this.memberDigest = from == null || from.memberDigest() == null ? 0 : from.memberDigest();
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
            ChangeTracker.Member before = tracker.member(msgidOf(record), task.getUserid());
            if (before == null) {
                return record;
            }
            return before.task() == ChangeTracker.taskState(task) ? null : record.as(Change.UPDATED);
        }
        return record; // send results: the member's reading chose them
    }

    /** A record of a pass up to {@code passEnd} (null: of a retry alone) was committed. */
    void remember(ExportRecord record, Long passEnd) {
        if (tracker == null) {
            return;
        }
        if (record.record() instanceof GroupMsgSendResult result) {
            memberDigest += ChangeTracker.resultDigest(result);
            return;
        }
        String id = msgidOf(record);
        long createTime = record.message() != null && record.message().getCreateTime() != null
                ? record.message().getCreateTime() : Long.MAX_VALUE;
        // only what the next pass reads again is worth remembering
        boolean readAgain = passEnd != null && createTime >= passEnd + 1 - lookback;
        if (record.record() instanceof FollowingExport.MemberRead read) {
            long digest = read.results() != null ? read.results() : memberDigest;
            memberDigest = 0;
            if (readAgain) {
                tracker.putMember(id, createTime, read.userid(), new ChangeTracker.Member(read.task(), digest));
            }
        } else if (readAgain && record.record() instanceof GroupMsg) {
            tracker.putMessage(id, createTime);
        } else if (readAgain && record.record() instanceof GroupMsgTask task) {
            tracker.putMember(id, createTime, task.getUserid(),
                    new ChangeTracker.Member(ChangeTracker.taskState(task), 0));
        }
    }

    /** A refusal ends the member in progress: the digest of its results committed so far, which it keeps. */
    long takeDigest() {
        long digest = memberDigest;
        memberDigest = 0;
        return digest;
    }

    /** The member's results handed on before its refusal are part of its digest too. */
    void addDigest(long digest) {
        memberDigest += digest;
    }

    /** The next pass starts at {@code epochSecond}: what it does not read again is forgotten. */
    void forgetBefore(long epochSecond) {
        if (tracker != null) {
            tracker.forgetBefore(epochSecond);
        }
    }

    /** Digest of the send results committed of the member in progress, null when none. */
    Long memberDigest() {
        return memberDigest == 0 ? null : memberDigest;
    }

    /** What changed of what is remembered since the last call; empty when bounded. */
    Map<String, String> takeChangedParts() {
        return tracker == null ? Map.of() : Map.of(ALL, tracker.encode());
    }

    private String msgidOf(ExportRecord record) {
        return record.message() != null ? record.message().getMsgid() : msgid;
    }
}
