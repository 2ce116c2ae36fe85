package io.github.camelwecom.groupmsg;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.camelwecom.groupmsg.export.ExportListener;
import io.github.camelwecom.groupmsg.export.ExportPosition;
import io.github.camelwecom.groupmsg.export.ExportRecord;
import io.github.camelwecom.groupmsg.export.ExportSpec;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.export.FollowingExport;
import io.github.camelwecom.groupmsg.export.TimeWindow;
import io.github.camelwecom.groupmsg.export.Unreadable;
import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.spi.AsyncProcessorAwaitManager;
import org.apache.camel.support.LoggingExceptionHandler;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits one Exchange per record, in the API's order, of what a {@link FollowingExport} reads: with endTime the range
 * once, then the consumer stays idle; without it pass after pass up to now, only what is new or changed. A poll hands
 * at most one batch to the route and polls again at once while a pass has more to read. The export moves past a record
 * only after the route processed it; a failed record is read again next poll.
 */
public class WecomGroupMsgConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WecomGroupMsgConsumer.class);
    /** Claims of the checkpoint at the start that may lose to a replica still writing it. */
    private static final int MAX_CLAIMS = 3;
    /** How long stopping waits for the poll in progress to end before it gives up saving the checkpoint. */
    private static final long STOP_WAIT_SECONDS = 30;

    /** Held by a poll from its start to its end, so that stopping never closes or saves the export under it. */
    private final ReentrantLock polling = new ReentrantLock();

    private final Clock clock;
    private WecomGroupMsgOptions options;
    private ExportSpec spec;
    private FollowingExport.Range range;
    private FollowingExport export;
    private volatile boolean finished;
    /** Set when the corp cancelled the app's authorization: the route is being stopped, polls do nothing. */
    private volatile boolean stopping;
    private CheckpointStore checkpoints;
    /**
     * Failed attempts to read or write the checkpoint since it last worked: while there are any, nothing more is
     * handed on (a crash then repeats at most the batch whose checkpoint was not stored).
     */
    private int storeFailures;
    private long recordsEmitted;
    private volatile long passesCompleted;
    private volatile long completeUpTo = -1;
    /** Windows of the open pass logged as done. */
    private long windowsLogged;
    /** Refused reads logged at WARN already since the route started. */
    private final java.util.Set<String> retriedKeys = new java.util.HashSet<>();
    private RecordHeaders headers;
    /** Looked up once: processing through {@code Processor.process} looks it up for every record. */
    private AsyncProcessorAwaitManager awaitManager;

    /** A record waiting in a batch: its exchange (null for a marker) and what to commit once the route processed it. */
    private record Pending(Exchange exchange, ExportRecord record) {
    }

    public WecomGroupMsgConsumer(WecomGroupMsgEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.clock = endpoint.getComponent().getClock();
    }

    @Override
    public WecomGroupMsgEndpoint getEndpoint() {
        return (WecomGroupMsgEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        stopping = false;
        storeFailures = 0;
        export = null;
        options = getEndpoint().getOptions();
        checkpoints = new CheckpointStore(options.config().getStateRepository(), checkpointKey(options));
        spec = options.exportSpec();
        awaitManager = PluginHelper.getAsyncProcessorAwaitManager(getEndpoint().getCamelContext());
        headers = new RecordHeaders(getEndpoint().getCamelContext().getCamelContextExtension().getHeadersMapFactory())
                .set(WecomGroupMsgConstants.API, spec.api().uriName())
                .set(WecomGroupMsgConstants.CHAT_TYPE, spec.listQuery().chatType().wireName());
        try {
            openExport();
        } catch (CheckpointStore.Unavailable e) {
            // a database that is down when the route starts: the polls read the checkpoint once it is back
            LOG.warn("Route {} waits for its checkpoint: {}; each poll tries again", getRouteId(), e.getMessage());
            storeFailures = 1;
        }
        super.doStart();
    }

    /**
     * Reads the checkpoint and opens the export where it stands, then claims the checkpoint by writing it back: a
     * replica that wrote it meanwhile and still thinks it owns the export has its next write refused by a fencing
     * repository. A claim that loses to such a write reads the checkpoint again.
     */
    private void openExport() {
        ConsumerCheckpoint checkpoint = checkpoints.load();
        for (int attempt = 1; checkpoint != null; attempt++) {
            try {
                checkpoints.save(checkpoint);
                break;
            } catch (StateWriteConflictException e) {
                if (attempt == MAX_CLAIMS) {
                    throw e;
                }
                checkpoint = checkpoints.load();
            }
        }
        if (checkpoint != null && checkpoint.hasRange()) {
            // a relative startTime and whether the consumer follows mean what they meant at the first start
            range = new FollowingExport.Range(checkpoint.startTime(), checkpoint.endTime(), checkpoint.following());
        } else {
            Long end = options.endEpoch(clock);
            range = new FollowingExport.Range(options.startEpoch(clock), end, end == null || end > now());
        }
        export = getEndpoint().createExport(spec, range, checkpoint == null ? null : checkpoint.state(),
                ExportListener.NONE);
        finished = export.isFinished();
        if (checkpoint != null) {
            LOG.info("Resuming {} export of route {} from pass {}..{} at {}", spec.api().uriName(), getRouteId(),
                    options.format(checkpoint.passStart()),
                    checkpoint.passEnd() == null ? "now" : options.format(checkpoint.passEnd()), checkpoint.position());
            TimeWindow at = export.getPosition() == null ? null : export.getPosition().window();
            windowsLogged = at == null ? 0 : (at.start() - export.getPassStart()) / options.windowSeconds();
        }
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (getExceptionHandler() instanceof LoggingExceptionHandler) {
            setExceptionHandler(new PollFailureLogging(getExceptionHandler(), LOG));
        }
        if (getHealthCheck() != null) {
            setHealthCheck(new UnreadableHealthCheck(getHealthCheck(), () -> export == null ? 0
                    : export.getUnreadable().size()));
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        // the poll in progress, if any, was interrupted: the export is the poll thread's until it has ended
        if (!polling.tryLock(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("Route {} stopped while its poll still ran after {} s: the records of its last batch come again "
                     + "after a restart", getRouteId(), STOP_WAIT_SECONDS);
            checkpoints.stop();
            return;
        }
        try {
            closeExport();
            if (export != null && !stopping) {
                saveCheckpoint();
            }
        } catch (RuntimeException e) {
            LOG.warn("Route {} stopped without saving its checkpoint ({}): the records of its last batch come "
                     + "again after a restart", getRouteId(), e.getMessage());
        } finally {
            polling.unlock();
            checkpoints.stop();
        }
    }

    /**
     * The checkpoint's key: what the endpoint selects, so that a changed selection starts afresh; never the secret.
     * No '=' or line breaks, which a FileStateRepository cannot store.
     */
    static String checkpointKey(WecomGroupMsgOptions options) {
        WecomGroupMsgConfiguration c = options.config();
        String key = String.join("|", "wecom-groupmsg:" + options.api().uriName(), orDash(c.getCorpId()),
                c.getChatType().wireName(), c.getStartTime(), orDash(c.getEndTime()), orDash(c.getCreator()),
                String.valueOf(c.getFilterType()), orDash(c.getMsgid()), orDash(c.getUserid()), c.getTimeZone());
        return key.replaceAll("[=\\r\\n]", "_");
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    /**
     * Stores where the export stands. A repository that fails is retried by the next polls, which hand on nothing
     * until it works; a write another replica fenced off stops the route.
     */
    private void saveCheckpoint() {
        if (checkpoints != null && export != null) {
            ConsumerCheckpoint checkpoint = new ConsumerCheckpoint(range, export.state());
            try {
                checkpoints.save(checkpoint);
            } catch (StateWriteConflictException e) {
                stopRoute(e.getMessage() + ": another replica owns this export now", e);
                throw e;
            } catch (CheckpointStore.Unavailable e) {
                throw storeFailed(e);
            }
            storeRecovered();
            ExportPosition position = export.getPosition();
            TimeWindow window = position != null ? position.window() : null;
            getEndpoint().getStatistics().consumerAt(
                    window == null ? "" : options.format(window.start()) + ".." + options.format(window.end()),
                    checkpoint.withoutTracked().toJson(), export.getReconciledMembers(),
                    export.getReconciledChanges(), export.getUnreadable().size());
        }
    }

    /**
     * INFO once per list window read to its end, in order, the last one and those without records too: a long export
     * shows how far it is. A pass of one window (a follow-mode poll) logs none.
     */
    private void logWindowsDone(long before) {
        long size = options.windowSeconds();
        long passStart = export.getPassStart();
        Long passEnd = export.getPassEnd();
        if (passEnd == null || !LOG.isInfoEnabled()) {
            return;
        }
        long total = (passEnd - passStart + size) / size;
        for (long next = windowsLogged + 1; total > 1 && next <= total; next++) {
            long start = passStart + (next - 1) * size;
            long end = Math.min(passStart + next * size, passEnd + 1);
            if (end > before) {
                return;
            }
            LOG.info("{} export of route {}: window {}/{} done ({} .. {}), {} records so far", spec.api().uriName(),
                    getRouteId(), next, total, options.format(start), options.format(end), recordsEmitted);
            windowsLogged = next;
        }
    }

    /** Keeps polling without the delay while a pass has records left. */
    @Override
    public boolean isGreedy() {
        return super.isGreedy() || export != null && storeFailures == 0 && export.isOpen();
    }

    @Override
    protected int poll() throws Exception {
        polling.lock();
        try {
            return pollBatch();
        } finally {
            polling.unlock();
        }
    }

    private int pollBatch() throws Exception {
        if (stopping || !checkpointStored() || !export.open(now())) {
            return 0;
        }
        int limit = maxMessagesPerPoll > 0 ? maxMessagesPerPoll : spec.pageLimit();
        Queue<Object> batch = new ArrayDeque<>();
        RuntimeException failure = null;
        boolean passDone = false;
        try {
            while (batch.size() < limit && export.hasNext()) {
                ExportRecord record = export.next();
                batch.add(new Pending(record.emitted() ? createExchange(record) : null, record));
            }
            passDone = !export.hasNext();
        } catch (RuntimeException e) {
            failure = e;
        }
        int processed = processBatch(batch);
        if (failure != null) {
            closeExport();
            try {
                saveCheckpoint();
            } catch (CheckpointNotStored e) {
                // the next poll stores it before anything else; the WeCom failure is the one to tell now
            }
            WecomApiException wecom = PollFailureLogging.find(failure);
            if (wecom != null && wecom.isAuthorizationCancelled() && getRouteId() != null) {
                stopRoute(failure.getMessage(), failure);
                return processed;
            }
            if (failure instanceof WecomApiException api) {
                // the consumer health check shows these with the failure
                if (api.getErrcode() != WecomApiException.NO_ERRCODE) {
                    addLastErrorDetail("wecom.errcode", api.getErrcode());
                }
                addLastErrorDetail("wecom.errmsg", api.getErrmsg());
                addLastErrorDetail("wecom.api", api.getApi());
            }
            throw failure;
        }
        if (passDone && export.isOpen()) {
            completePass();
        }
        saveCheckpoint();
        return processed;
    }

    /**
     * Whether the checkpoint of what was handed on is stored, trying again what failed before (the export's first
     * read included): until it is, nothing more is handed on.
     *
     * @throws CheckpointNotStored while the repository still fails, for the poll's failure handling and health check
     */
    private boolean checkpointStored() {
        if (storeFailures == 0) {
            return true;
        }
        if (export == null) {
            try {
                openExport();
            } catch (CheckpointStore.Unavailable e) {
                throw storeFailed(e);
            }
            storeRecovered();
        } else {
            saveCheckpoint();
        }
        return !stopping;
    }

    private CheckpointNotStored storeFailed(CheckpointStore.Unavailable e) {
        storeFailures++;
        return new CheckpointNotStored("Route " + getRouteId() + " hands on no more records until its checkpoint is "
                                       + "stored; each poll tries again (attempt " + storeFailures + "): "
                                       + e.getMessage(), e, storeFailures > 1);
    }

    private void storeRecovered() {
        if (storeFailures > 0) {
            LOG.info("Route {} stored its checkpoint after {} failed attempts and goes on", getRouteId(),
                    storeFailures);
            storeFailures = 0;
        }
    }

    /**
     * Says once why and stops the route through Camel's route controller, which records the reason as the route's
     * last error: the corp cancelled the app's authorization (every poll would fail alike until it authorizes the
     * app anew, which gives a new permanent code and so another token provider), or another replica took the corp
     * over. Stopping waits for the poll in progress, this one, to end: it runs on a thread of its own.
     */
    private void stopRoute(String why, Exception reason) {
        stopping = true;
        String routeId = getRouteId();
        if (routeId == null) {
            return;
        }
        WecomGroupMsgConfiguration c = options.config();
        // the provider's string form names corp and suite
        LOG.error("Route {} of {} is stopped: {}", routeId,
                c.getCorpId() != null ? "corp " + c.getCorpId() : c.getAccessTokenProvider(), why);
        CamelContext camel = getEndpoint().getCamelContext();
        camel.getExecutorServiceManager().newThread("WecomGroupMsgStopRoute", () -> {
            try {
                camel.getRouteController().stopRoute(routeId, reason);
            } catch (Exception e) {
                LOG.warn("Could not stop route {}: {}", routeId, e.toString());
            }
        }).start();
    }

    /**
     * @return the records and markers committed: a batch of markers alone is progress too, and the scheduler polls
     *         again at once only after a poll that returned more than 0
     */
    @Override
    public int processBatch(Queue<Object> batch) throws Exception {
        int total = (int) batch.stream().filter(p -> ((Pending) p).exchange() != null).count();
        int index = 0;
        int committed = 0;
        for (Object next = batch.poll(); next != null; next = batch.poll()) {
            Pending pending = (Pending) next;
            Exchange exchange = pending.exchange();
            if (exchange == null) {
                export.commit(pending.record());
                reportMarker(pending.record().record());
                committed++;
                continue;
            }
            if (!isBatchAllowed()) {
                closeExport();
                releaseExchange(exchange, false);
                return committed;
            }
            exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
            exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, total);
            exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == total - 1);
            pendingExchanges = total - index - 1;
            try {
                awaitManager.process(getAsyncProcessor(), exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            Exception error = exchange.getException();
            if (error != null) {
                getExceptionHandler().handleException("Error processing a WeCom record; it is read again next poll",
                        exchange, error);
                closeExport();
                releaseExchange(exchange, false);
                return committed;
            }
            commit(pending.record());
            releaseExchange(exchange, false);
            index++;
            committed++;
        }
        pendingExchanges = 0;
        return committed;
    }

    private void commit(ExportRecord record) {
        if (record.window() != null) {
            logWindowsDone(record.window().start()); // the windows before this record's, without it
        }
        export.commit(record);
        recordsEmitted++;
        getEndpoint().getStatistics().recordEmitted();
    }

    /** A refusal is a WARN the first time and DEBUG on each retry that WeCom refuses again. */
    private void reportMarker(Object marker) {
        if (marker instanceof Unreadable u) {
            getEndpoint().getStatistics().readRefused();
            boolean retry = !retriedKeys.add(u.msgid() + ' ' + u.userid());
            String what = u.userid() == null ? "the tasks of message " + u.msgid()
                    : "the send results of member " + u.userid() + " for message " + u.msgid();
            if (retry && !LOG.isDebugEnabled()) {
                return;
            }
            String text = "WeCom " + u.api().path() + " refused " + what + " with errcode " + u.errcode() + " ("
                          + u.errmsg() + "); the other records go on and it is read again on the next polls "
                          + "(skipUnreadableMessages=false fails the poll instead)";
            if (retry) {
                LOG.debug(text);
            } else {
                LOG.warn(text);
            }
        } else if (marker instanceof FollowingExport.Recovered r) {
            retriedKeys.remove(r.read().msgid() + ' ' + r.read().userid());
            LOG.info("Read {} for message {} that WeCom had refused before", r.read().userid() == null ? "the tasks"
                    : "the send results of member " + r.read().userid(), r.read().msgid());
        }
    }

    private void completePass() {
        long end = export.getPassEnd() == null ? -1 : export.getPassEnd();
        boolean wasFinished = export.isFinished();
        if (!wasFinished) {
            logWindowsDone(Long.MAX_VALUE);
        }
        windowsLogged = 0;
        export.completePass();
        if (wasFinished) {
            return; // a pass that only read refused data again
        }
        passesCompleted++;
        completeUpTo = end;
        if (export.isFinished()) {
            finished = true;
            int unreadable = export.getUnreadable().size();
            if (unreadable == 0) {
                LOG.info("Export of {} of route {} from {} to {} complete: {} records", spec.api().uriName(),
                        getRouteId(), options.format(range.start()), options.format(end), recordsEmitted);
            } else {
                LOG.warn("Export of {} of route {} from {} to {} complete but for {} messages or members WeCom "
                         + "refused: {} records; they are read again on each poll", spec.api().uriName(), getRouteId(),
                        options.format(range.start()), options.format(end), unreadable, recordsEmitted);
            }
        }
    }

    private void closeExport() {
        if (export != null) {
            export.close();
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private Exchange createExchange(ExportRecord record) {
        GroupMsg msg = record.message();
        TimeWindow window = record.window();
        headers.set(WecomGroupMsgConstants.MSG_ID, msg != null ? msg.getMsgid() : spec.msgid())
                .set(WecomGroupMsgConstants.USER_ID, record.userid())
                .set(WecomGroupMsgConstants.CREATE_TIME, msg != null ? msg.getCreateTime() : null)
                .set(WecomGroupMsgConstants.START_TIME, export.getPassStart())
                .set(WecomGroupMsgConstants.END_TIME, export.getPassEnd())
                .set(WecomGroupMsgConstants.CHANGE, record.change().name());
        if (window != null) {
            headers.set(WecomGroupMsgConstants.WINDOW_START, window.start())
                    .set(WecomGroupMsgConstants.WINDOW_END, window.end());
        } else {
            headers.set(WecomGroupMsgConstants.WINDOW_START, null).set(WecomGroupMsgConstants.WINDOW_END, null);
        }
        Exchange exchange = createExchange(false);
        exchange.setIn(new WecomGroupMsgMessage(exchange, record.record(), headers.snapshot()));
        return exchange;
    }

    /** Records handed to the route and processed without error. */
    public long getRecordsEmitted() {
        return recordsEmitted;
    }

    /**
     * Passes read to their end since the route started: a follow-mode pass that started after "now" moved has seen
     * every record created before it.
     */
    public long getPassesCompleted() {
        return passesCompleted;
    }

    /**
     * The end (epoch seconds) of the last pass read to its end: every record created up to then has been emitted;
     * -1 before the first pass ends.
     */
    public long getCompleteUpTo() {
        return completeUpTo;
    }

    /** Whether a bounded export has read its whole range. */
    public boolean isFinished() {
        return finished;
    }
}
