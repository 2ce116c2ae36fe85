package io.github.camelwecom.groupmsg.export;

import java.util.ArrayList;
import java.util.List;

/** What the engine told its listener, one line per call, in order. */
final class Recorder implements ExportListener {

    final List<String> events = new ArrayList<>();
    long records;

    @Override
    public void recordCommitted(ExportRecord record) {
        records++;
    }

    @Override
    public void readRefused(Unreadable read, boolean again) {
        events.add((again ? "refused again " : "refused ") + read.key() + " " + read.errcode());
    }

    @Override
    public void readRecovered(Unreadable read) {
        events.add("recovered " + read.key());
    }

    @Override
    public void windowDone(TimeWindow window, long index, long total, long records) {
        events.add("window " + index + "/" + total + " " + window.start() + ".." + window.end() + " " + records);
    }

    @Override
    public void memberReconciled(boolean changed) {
        events.add(changed ? "reconciled changed" : "reconciled");
    }

    @Override
    public void passDone(long passStart, long passEnd, boolean finished, int unreadable) {
        events.add("pass " + passStart + ".." + passEnd + (finished ? " finished" : "") + " unreadable "
                + unreadable);
    }

    List<String> starting(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }
}
