package io.github.camelwecom.groupmsg.export;

/**
 * Which list windows of the open pass the commits have moved past, told to the listener in order: each window once,
 * those without records too, none for a pass of one window (a follow-mode pass, mostly).
 */
final class WindowProgress {

    private final ExportListener listener;
    private final long size;
    private boolean reading;
    private long passStart;
    private long passEnd;
    private long total;
    /** Windows of the pass told done. */
    private long done;
    /** Records handed on from the window after those. */
    private long records;

    WindowProgress(ExportListener listener, long windowSeconds) {
        this.listener = listener;
        this.size = windowSeconds;
    }

    /**
     * The pass {@code passStart..passEnd} is read from {@code at} (null: its start): the windows before at's are done.
     * Reopening the pass in progress changes nothing.
     */
    void open(long passStart, long passEnd, ExportPosition at) {
        if (reading && this.passStart == passStart && this.passEnd == passEnd) {
            return;
        }
        reading = true;
        this.passStart = passStart;
        this.passEnd = passEnd;
        total = (passEnd - passStart + size) / size;
        TimeWindow window = at == null ? null : at.window();
        done = window == null ? 0 : (window.start() - passStart) / size;
        records = 0;
    }

    /** A record of the pass was committed: the windows before its own are done. */
    void committed(ExportRecord record) {
        if (record.window() != null) {
            doneBefore(record.window().start());
        }
        if (record.emitted()) {
            records++;
        }
    }

    /** The pass was read to its end, and so was each of its windows. */
    void passRead() {
        doneBefore(Long.MAX_VALUE);
        reading = false;
    }

    private void doneBefore(long epochSecond) {
        while (reading && total > 1 && done < total) {
            long start = passStart + done * size;
            TimeWindow window = new TimeWindow(start, Math.min(start + size, passEnd + 1));
            if (window.end() > epochSecond) {
                return;
            }
            done++;
            listener.windowDone(window, done, total, records);
            records = 0;
        }
    }
}
