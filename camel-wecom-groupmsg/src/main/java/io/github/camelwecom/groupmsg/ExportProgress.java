package io.github.camelwecom.groupmsg;

import java.time.Clock;
import java.util.function.Supplier;

import io.github.camelwecom.groupmsg.export.ExportListener;
import io.github.camelwecom.groupmsg.export.ExportPosition;
import io.github.camelwecom.groupmsg.export.ExportRecord;
import io.github.camelwecom.groupmsg.export.FollowingExport;
import io.github.camelwecom.groupmsg.export.TimeWindow;
import io.github.camelwecom.groupmsg.export.Unreadable;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Says what a consumer's export tells of its progress: log lines, the endpoint's statistics, and the passes the
 * consumer's getters show. The engine decides what a commit means; this only says it. The lines go to the consumer's
 * logger, which is the category users configure.
 */
final class ExportProgress implements ExportListener {

    private final Logger log;
    private final WecomGroupMsgStatistics statistics;
    private final Supplier<Clock> clock;
    private long pollStartedMillis;
    private String routeId;
    private WecomGroupMsgOptions options;
    private String api;
    private long rangeStart;
    private volatile long passesCompleted;
    private volatile long completeUpTo = -1;
    private volatile boolean finished;
    /** Records emitted as UPDATED (the statistics count all emitted records). */
    private long updated;
    /** Follow mode's periodic line; null for a bounded export or with summaryInterval=0. */
    private FollowSummary summary;

    ExportProgress(Logger log, WecomGroupMsgStatistics statistics, Supplier<Clock> clock) {
        this.log = log;
        this.statistics = statistics;
        this.clock = clock;
    }

    /** The route's export opened, from a checkpoint ({@code resumed}) or from the range's start. */
    void opened(String routeId, WecomGroupMsgOptions options, FollowingExport.Range range, FollowingExport export,
            boolean resumed) {
        this.routeId = routeId;
        this.options = options;
        this.api = options.api().uriName();
        this.rangeStart = range.start();
        this.finished = export.isFinished();
        long interval = options.config().getSummaryInterval();
        this.summary = range.following() && interval > 0
                ? new FollowSummary(statistics, interval, clock.get().millis(), updated) : null;
        if (resumed) {
            log.info("Resuming {} export of route {} from pass {}..{} at {}", api, routeId,
                    options.format(export.getPassStart()),
                    export.getPassEnd() == null ? "now" : options.format(export.getPassEnd()), export.getPosition());
        }
    }

    /** The checkpoint was stored: where the consumer stands, for JMX, the dev console and the health check. */
    void stored(String checkpoint, ExportPosition position, int unreadable) {
        TimeWindow window = position != null ? position.window() : null;
        String at = window == null ? "" : options.format(window.start()) + ".." + options.format(window.end());
        statistics.consumerAt(at, checkpoint, unreadable);
    }

    @Override
    public void recordCommitted(ExportRecord record) {
        statistics.recordEmitted();
        if (record.change() == ExportRecord.Change.UPDATED) {
            updated++;
        }
    }

    /** A poll starts: the summary it may end with is due by this time, the time its pass reads up to. */
    void pollStarted() {
        pollStartedMillis = clock.get().millis();
    }

    /**
     * A poll ended: in follow mode, once per summaryInterval, one INFO line that the export is alive. From the start,
     * the catch-up too: that is when it spends most of WeCom's quota, which the line shows. Due by the poll's start, so
     * that the line that covers a moment also covers the records of that moment, which the poll then read.
     */
    void pollEnded() {
        if (summary == null) {
            return;
        }
        String line = summary.next(pollStartedMillis, updated,
                completeUpTo < 0 ? null : options.format(completeUpTo));
        if (line != null) {
            log.info("{} export of route {}: {}", api, routeId, line);
        }
    }

    /** A refusal is a WARN the first time and DEBUG on each retry that WeCom refuses again. */
    @Override
    public void readRefused(Unreadable read, boolean again) {
        statistics.readRefused();
        if (again && !log.isDebugEnabled()) {
            return;
        }
        String what = read.userid() == null ? "the tasks of message " + read.msgid()
                : "the send results of member " + read.userid() + " for message " + read.msgid();
        String text = "WeCom " + read.api().path() + " refused " + what + " with errcode " + read.errcode() + " ("
                + read.errmsg() + "); the other records go on and it is read again on the next polls "
                + "(skipUnreadableMessages=false fails the poll instead)";
        if (again) {
            log.debug(text);
        } else {
            log.warn(text);
        }
    }

    @Override
    public void readRecovered(Unreadable read) {
        log.info("Read {} for message {} that WeCom had refused before", read.userid() == null ? "the tasks"
                : "the send results of member " + read.userid(), read.msgid());
    }

    /**
     * INFO once per list window with records read to its end: a long export shows how far it is. An empty window is
     * DEBUG: a catch-up over months without messages would say nothing else.
     */
    @Override
    public void windowDone(TimeWindow window, long index, long total, long records) {
        Level level = records == 0 ? Level.DEBUG : Level.INFO;
        if (log.isEnabledForLevel(level)) {
            log.atLevel(level).log("{} export of route {}: window {}/{} done ({} .. {}), {} records so far", api,
                    routeId, index, total, options.format(window.start()), options.format(window.end()),
                    statistics.getRecordsEmitted());
        }
    }

    @Override
    public void memberReconciled(boolean changed) {
        statistics.memberReconciled(changed);
    }

    @Override
    public void memberRechecked(boolean delivered) {
        statistics.memberRechecked(delivered);
    }

    @Override
    public void passDone(long passStart, long passEnd, boolean finished, int unreadable) {
        passesCompleted++;
        completeUpTo = passEnd;
        if (!finished) {
            return;
        }
        this.finished = true;
        if (unreadable == 0) {
            log.info("Export of {} of route {} from {} to {} complete: {} records", api, routeId,
                    options.format(rangeStart), options.format(passEnd), statistics.getRecordsEmitted());
        } else {
            log.warn("Export of {} of route {} from {} to {} complete but for {} messages or members WeCom "
                    + "refused: {} records; they are read again on each poll", api, routeId,
                    options.format(rangeStart), options.format(passEnd), unreadable, statistics.getRecordsEmitted());
        }
    }

    /** Passes read to their end since the consumer was created. */
    long getPassesCompleted() {
        return passesCompleted;
    }

    long getCompleteUpTo() {
        return completeUpTo;
    }

    boolean isFinished() {
        return finished;
    }
}
