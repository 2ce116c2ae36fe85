package io.github.camelwecom.groupmsg;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.camelwecom.groupmsg.export.ExportRecord;
import io.github.camelwecom.groupmsg.export.ExportSpec;
import io.github.camelwecom.groupmsg.export.FollowingExport;
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
 * only after the route processed it; a failed record is read again next poll. What the export's progress means is said
 * by {@link ExportProgress}; the checkpoint is kept by {@link ConsumerCheckpoints}.
 */
public class WecomGroupMsgConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WecomGroupMsgConsumer.class);
    /** How long stopping waits for the poll in progress to end before it gives up saving the checkpoint. */
    private static final long STOP_WAIT_SECONDS = 30;
    /** How many records that are not handed on a batch may hold per exchange it may hold. */
    private static final int UNEMITTED_PER_EXCHANGE = 8;

    /** Held by a poll from its start to its end, so that stopping never closes or saves the export under it. */
    private final ReentrantLock polling = new ReentrantLock();

    private final ExportProgress progress;
    private ExportSpec spec;
    private ConsumerCheckpoints checkpoints;
    private FollowingExport export;
    private RouteStopper route;
    private RecordHeaders headers;
    /** Null unless shutdownWhenDone: ends the application when the export is done or failed. */
    private ApplicationShutdown shutdown;
    /** Exchanges the last poll processed. */
    private volatile int lastPolled;
    /** Looked up once: processing through {@code Processor.process} looks it up for every record. */
    private AsyncProcessorAwaitManager awaitManager;

    /** A record waiting in a batch: its exchange (null for a marker) and what to commit once the route processed it. */
    private record Pending(Exchange exchange, ExportRecord record) {
    }

    public WecomGroupMsgConsumer(WecomGroupMsgEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.progress = new ExportProgress(LOG, endpoint.getStatistics(), endpoint.getComponent()::getClock);
    }

    @Override
    public WecomGroupMsgEndpoint getEndpoint() {
        return (WecomGroupMsgEndpoint) super.getEndpoint();
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (getExceptionHandler() instanceof LoggingExceptionHandler) {
            setExceptionHandler(new PollFailureLogging(getExceptionHandler(), LOG));
        }
        setPollStrategy(new WecomGroupMsgPollStrategy(getPollStrategy(), this::addLastErrorDetail));
        if (getHealthCheck() != null) {
            setHealthCheck(new UnreadableHealthCheck(getHealthCheck(), getEndpoint().getStatistics()::getUnreadable));
        }
    }

    @Override
    protected void doStart() throws Exception {
        CamelContext camel = getEndpoint().getCamelContext();
        spec = getEndpoint().getOptions().exportSpec();
        route = new RouteStopper(camel, getRouteId(), getEndpoint().getOptions().config(), LOG);
        checkpoints = new ConsumerCheckpoints(getEndpoint(), getRouteId(), LOG, route, progress);
        awaitManager = PluginHelper.getAsyncProcessorAwaitManager(camel);
        headers = new RecordHeaders(camel.getCamelContextExtension().getHeadersMapFactory(), spec);
        export = checkpoints.openAtStart();
        if (getEndpoint().getConfiguration().isShutdownWhenDone()) {
            shutdown = getEndpoint().getComponent().getApplicationShutdown(LOG);
            shutdown.exporting(getRouteId());
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        // the poll in progress, if any, was interrupted: the export is the poll thread's until it has ended
        if (!polling.tryLock(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("Route {} stopped while its poll still ran after {} s: the records of its last batch come again "
                    + "after a restart", getRouteId(), STOP_WAIT_SECONDS);
            checkpoints.stop(null);
            return;
        }
        try {
            checkpoints.stop(export);
        } finally {
            polling.unlock();
        }
    }

    /**
     * Keeps polling without the delay while a pass has records left: on its own scheduler by Camel's greedy loop, on
     * the component's shared one by {@link TakingTurnsScheduler}, which asks {@link #pollAgainNow}.
     */
    @Override
    public boolean isGreedy() {
        return super.isGreedy() || !(getScheduler() instanceof TakingTurnsScheduler) && passOpen();
    }

    /**
     * Asked once after each scheduled run: whether it polled and handed records on, and the pass has more, so the next
     * poll should follow at once. A run that did not poll (the route suspended, a backoff) is not repeated at once.
     */
    boolean pollAgainNow() {
        int polled = lastPolled;
        lastPolled = 0;
        return polled > 0 && passOpen();
    }

    private boolean passOpen() {
        return export != null && checkpoints.isStored() && export.isOpen();
    }

    @Override
    protected int poll() throws Exception {
        polling.lock();
        progress.pollStarted();
        try {
            int processed = pollBatch();
            lastPolled = processed;
            endIfDone();
            return processed;
        } catch (Exception e) {
            // a poll cut short by a stop is no failure of the export
            if (shutdown != null && isRunAllowed() && !getEndpoint().getCamelContext().isStopping()) {
                shutdown.failed(getRouteId(), "a poll failed: " + e.getMessage());
            }
            throw e;
        } finally {
            progress.pollEnded();
            polling.unlock();
        }
    }

    /** For shutdownWhenDone, after a poll stored its checkpoint: a finished range or a stopped route ends the app. */
    private void endIfDone() {
        if (shutdown == null) {
            return;
        }
        if (route.isStopping()) {
            shutdown.failed(getRouteId(), "it was stopped (see the ERROR line above)");
        } else if (progress.isFinished() && export != null) {
            shutdown.finished(getRouteId(), export.getUnreadable().size());
        }
    }

    private int pollBatch() throws Exception {
        long now = getEndpoint().getComponent().getClock().instant().getEpochSecond();
        if (route.isStopping() || !checkpointStored() || !export.open(now)) {
            return 0;
        }
        int limit = maxMessagesPerPoll > 0 ? maxMessagesPerPoll : spec.pageLimit();
        Queue<Object> batch = new ArrayDeque<>();
        RuntimeException failure = null;
        boolean passDone = false;
        try {
            // records not handed on (unchanged send results, markers) fill a batch too, but not as much
            int exchanges = 0;
            while (exchanges < limit && batch.size() < UNEMITTED_PER_EXCHANGE * limit && export.hasNext()) {
                ExportRecord record = export.next();
                exchanges += record.emitted() ? 1 : 0;
                batch.add(new Pending(record.emitted() ? createExchange(record) : null, record));
            }
            passDone = !export.hasNext();
        } catch (RuntimeException e) {
            failure = e;
        }
        int processed = processBatch(batch);
        if (failure != null) {
            return readFailed(failure, processed);
        }
        if (passDone && export.isOpen()) {
            export.completePass();
        }
        checkpoints.save(export);
        return processed;
    }

    /**
     * The records read before the failure were processed: the next poll reads on from the last one committed. The poll
     * fails (its strategy adds WeCom's errcode for the health check), unless the failure stops the route.
     */
    private int readFailed(RuntimeException failure, int processed) {
        export.close();
        try {
            checkpoints.save(export);
        } catch (CheckpointNotStored e) {
            // the next poll stores it before anything else; the WeCom failure is the one to tell now
        }
        if (!route.stopsFor(failure)) {
            throw failure;
        }
        return processed;
    }

    /**
     * Whether the checkpoint of what was handed on is stored, trying again the read or write that failed: until it is,
     * nothing more is handed on, and {@link CheckpointNotStored} fails the poll for its logging and health check.
     */
    private boolean checkpointStored() {
        if (export == null) {
            export = checkpoints.open();
        } else if (!checkpoints.isStored()) {
            checkpoints.save(export);
        }
        return !route.isStopping();
    }

    /**
     * @return the records and markers committed: a batch of markers alone is progress too, and the scheduler polls
     * again at once only after a poll that returned more than 0
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
                export.close();
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

    private Exchange createExchange(ExportRecord record) {
        Exchange exchange = createExchange(false);
        exchange.setIn(new WecomGroupMsgMessage(exchange, record.record(),
                headers.of(record, spec.msgid(), export.getPassStart(), export.getPassEnd())));
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
