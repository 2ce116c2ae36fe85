package io.github.camelwecom.groupmsg.export;

import java.nio.ByteBuffer;
import java.util.Objects;

import io.github.camelwecom.groupmsg.client.model.MemberRecord;

/**
 * What a follow-mode export handed on of one member of a tracked message: its task as last read and, for result
 * exports, its send results ({@link ResultsView}). A member whose task says sent while some results still say unsent
 * (WeCom delivers asynchronously) is read again pass after pass, each time waiting as long as it has disagreed so far.
 *
 * @param task the task's status and send_time ({@link #taskState}); 0 when there is no task
 * @param sent the task says sent (status 2): it does not change any more
 * @param results null for task exports
 * @param disagreeSince epoch second from which the task said sent while results said unsent; 0 when they agree
 * @param checked epoch second (a pass's end) the results were last read, while they disagree
 */
record MemberState(int task, boolean sent, ResultsView results, long disagreeSince, long checked) {

    private static final int SENT = 1;
    private static final int RESULTS = 2;
    private static final int DISAGREES = 4;

    /** The state of a task as far as changes go: its status and send_time. */
    static int taskState(MemberRecord task) {
        return task == null ? 0 : Objects.hash(task.getStatus(), task.getSendTime());
    }

    static boolean sent(MemberRecord task) {
        return task != null && task.getStatus() != null && task.getStatus() == 2;
    }

    /** A member read at {@code at}: whether it disagrees now decides when it is read again. */
    static MemberState read(int task, boolean sent, ResultsView results, MemberState before, long at) {
        if (!sent || results == null || !results.hasUnsent()) {
            return new MemberState(task, sent, results, 0, 0);
        }
        long since = before != null && before.disagrees() ? before.disagreeSince : at;
        return new MemberState(task, true, results, since, at);
    }

    boolean disagrees() {
        return disagreeSince != 0;
    }

    /** Nothing of it can change any more: the task is sent and every result it was handed is final. */
    boolean settled() {
        return sent && (results == null || !results.hasUnsent());
    }

    /** Whether results that disagree are due to be read again in a pass ending at {@code passEnd}: backing off. */
    boolean recheckDue(long passEnd) {
        return disagrees() && passEnd - checked >= checked - disagreeSince;
    }

    int encodedSize() {
        return 5 + (results == null ? 0 : results.encodedSize()) + (disagrees() ? 16 : 0);
    }

    void encode(ByteBuffer bytes) {
        bytes.putInt(task).put((byte) ((sent ? SENT : 0) | (results != null ? RESULTS : 0)
                | (disagrees() ? DISAGREES : 0)));
        if (results != null) {
            results.encode(bytes);
        }
        if (disagrees()) {
            bytes.putLong(disagreeSince).putLong(checked);
        }
    }

    static MemberState decode(ByteBuffer bytes) {
        int task = bytes.getInt();
        int flags = bytes.get();
        ResultsView results = (flags & RESULTS) != 0 ? ResultsView.decode(bytes) : null;
        boolean disagrees = (flags & DISAGREES) != 0;
        long since = disagrees ? bytes.getLong() : 0;
        long checked = disagrees ? bytes.getLong() : 0;
        return new MemberState(task, (flags & SENT) != 0, results, since, checked);
    }
}
