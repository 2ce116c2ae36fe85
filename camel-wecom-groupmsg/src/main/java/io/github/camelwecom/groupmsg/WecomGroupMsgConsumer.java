package io.github.camelwecom.groupmsg;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.camelwecom.groupmsg.export.ExportRecord;
import io.github.camelwecom.groupmsg.export.ExportSpec;
import io.github.camelwecom.groupmsg.export.FollowingExport;
import io.github.camelwecom.groupmsg.export.TimeWindow;
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
    private final ExportProgress progress;
    /** Set when the corp cancelled the app's authorization: the route is being stopped, polls do nothing. */
    private volatile boolean stopping;
    private CheckpointStore checkpoints;
    /**
     * Failed attempts to read or write the checkpoint since it last worked: while there are any, nothing more is
     * handed on (a crash then repeats at most the batch whose checkpoint was not stored).
     */
    private int storeFailures;
    private RecordHeaders headers;
    /** Looked up once: processing through {@code Processor.process} looks it up for every record. */
    private AsyncProcessorAwaitManager awaitManager;

    /** A record waiting in a batch: its exchange (null for a marker) and what to commit once the route processed it. */
    private record Pending(Exchange exchange, ExportRecord record) {
    }

    public WecomGroupMsgConsumer(WecomGroupMsgEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.clock = endpoint.getComponent().getClock();
        this.progress = new ExportProgress(LOG, endpoint.getStatistics());
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
        export = getEndpoint().createExport(spec, range, checkpoint == null ? null : checkpoint.state(), progress);
        progress.opened(getRouteId(), options, range, export, checkpoint != null);
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (getExceptionHandler() instanceof LoggingExceptionHandler) {
            setExceptionHandler(new PollFailureLogging(getExceptionHandler(), LOG));
        }
        if (getHealthCheck() != null) {
            setHealthCheck(new UnreadableHealthCheck(getHealthCheck(), getEndpoint().getStatistics()::getUnreadable));
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
            progress.stored(checkpoint.withoutTracked().toJson(), export.getPosition(), export.getUnreadable().size());
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
            export.completePass();
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
        for (Pending pending = (Pending) batch.poll(); pending != null; pending = (Pending) batch.poll()) {
            Exchange exchange = pending.exchange();
            boolean processed = exchange == null || isBatchAllowed() && process(exchange, index++, total);
            releaseExchange(exchange, false);
            if (!processed) {
                // the rest is read again next poll: its exchanges were created for nothing
                closeExport();
                batch.forEach(rest -> releaseExchange(((Pending) rest).exchange(), false));
                batch.clear();
                return committed;
            }
            export.commit(pending.record());
            committed++;
        }
        pendingExchanges = 0;
        return committed;
    }

    /** Hands one record of the batch to the route; false when the route failed on it. */
    private boolean process(Exchange exchange, int index, int total) {
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
        }
        return error == null;
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

    /** Records handed to the route and processed without error, counted by the endpoint's statistics. */
    public long getRecordsEmitted() {
        return getEndpoint().getStatistics().getRecordsEmitted();
    }

    /** Passes read to their end: a follow-mode pass has seen every record created before it started. */
    public long getPassesCompleted() {
        return progress.getPassesCompleted();
    }

    /** The end (epoch seconds) of the last pass read to its end, -1 before: every record created up to then came. */
    public long getCompleteUpTo() {
        return progress.getCompleteUpTo();
    }

    /** Whether a bounded export has read its whole range. */
    public boolean isFinished() {
        return progress.isFinished();
    }
}
