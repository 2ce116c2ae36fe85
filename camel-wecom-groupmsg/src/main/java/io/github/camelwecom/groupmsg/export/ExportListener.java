package io.github.camelwecom.groupmsg.export;

/**
 * What the export's progress means, told to whoever reports it (log lines, counters, health): the engine decides
 * what a commit means, the caller only how to say it. Called on the thread that commits, in commit order.
 */
public interface ExportListener {

    /** Nobody listens. */
    ExportListener NONE = new ExportListener() {
    };

    /** A record was handed on and processed. */
    default void recordCommitted(ExportRecord record) {
    }

    /**
     * WeCom refused a message's tasks or a member's send results for that data alone; the rest goes on.
     *
     * @param again whether a retry of a read refused before was refused again
     */
    default void readRefused(Unreadable read, boolean again) {
    }

    /** A read WeCom had refused was read to its end. */
    default void readRecovered(Unreadable read) {
    }

    /**
     * A list window of the open pass was read to its end, records or not; not told for a pass of one window.
     *
     * @param index 1-based, of {@code total} windows in the pass
     */
    default void windowDone(TimeWindow window, long index, long total) {
    }

    /** A member's send results were read again because their reconciliation was due. */
    default void memberReconciled(boolean changed) {
    }

    /**
     * A pass was read to its end: every record created up to {@code passEnd} was handed on.
     *
     * @param finished   a bounded export read its whole range
     * @param unreadable reads WeCom still refuses, read again by later passes
     */
    default void passDone(long passStart, long passEnd, boolean finished, int unreadable) {
    }
}
