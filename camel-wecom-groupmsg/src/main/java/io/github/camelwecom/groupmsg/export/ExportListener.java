package io.github.camelwecom.groupmsg.export;

/**
 * What the export's progress means, told to whoever reports it (log lines, counters, health): the engine decides what a
 * commit means, the caller only how to say it. Called on the thread that commits, in commit order: a window is told
 * done before the record that moved past it, and a pass's last windows before the pass.
 */
public interface ExportListener {

    /** Nobody listens. */
    ExportListener NONE = new ExportListener() {
    };

    /** A record was handed on and processed (markers are not told). */
    default void recordCommitted(ExportRecord record) {
    }

    /**
     * WeCom refused a message's tasks or a member's send results for that data alone; the rest goes on, and later
     * passes read it again.
     *
     * @param read the read as kept, with WeCom's latest errcode and errmsg
     * @param again whether it was refused before (a retry refused again), also in the state the export resumed from
     */
    default void readRefused(Unreadable read, boolean again) {
    }

    /** A read WeCom had refused was read to its end. */
    default void readRecovered(Unreadable read) {
    }

    /**
     * A list window of the open pass was read to its end, records or not; not told for a pass of one window, nor when
     * the export reads one msgid.
     *
     * @param index 1-based, of {@code total} windows in the pass
     * @param records records handed on from it by this export: a window resumed from a saved state counts those after
     * the resume
     */
    default void windowDone(TimeWindow window, long index, long total, long records) {
    }

    /**
     * A member's send results were read again because their reconciliation was due.
     *
     * @param changed they differed from what was handed on, and came again
     */
    default void memberReconciled(boolean changed) {
    }

    /**
     * A member whose task said sent while some of its send results still said unsent (WeCom delivers asynchronously)
     * had them read again.
     *
     * @param delivered some had been delivered since, and came again
     */
    default void memberRechecked(boolean delivered) {
    }

    /**
     * A pass was read to its end: every record created up to {@code passEnd} was handed on. Not told for a pass that
     * only read refused data again.
     *
     * @param finished a bounded export read its whole range
     * @param unreadable reads WeCom still refuses, read again by later passes
     */
    default void passDone(long passStart, long passEnd, boolean finished, int unreadable) {
    }
}
