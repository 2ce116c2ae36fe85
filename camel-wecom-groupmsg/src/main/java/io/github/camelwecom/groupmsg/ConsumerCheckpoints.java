package io.github.camelwecom.groupmsg;

import java.time.Clock;

import io.github.camelwecom.groupmsg.export.FollowingExport;
import org.slf4j.Logger;

/**
 * A consumer's checkpoint: read and claimed when its export opens, stored after each batch, and the gate of the flow:
 * after the repository failed, nothing more is handed on until the checkpoint is stored (a crash then repeats at most
 * the batch whose checkpoint was not stored). A write another replica fenced off stops the route.
 */
final class ConsumerCheckpoints {

    /** Claims of the checkpoint at the start that may lose to a replica still writing it. */
    private static final int MAX_CLAIMS = 3;

    private final WecomGroupMsgEndpoint endpoint;
    private final WecomGroupMsgOptions options;
    private final CheckpointStore store;
    private final String routeId;
    private final Logger log;
    private final RouteStopper route;
    private final ExportProgress progress;
    private FollowingExport.Range range;
    /** Failed attempts to read or write the checkpoint since it last worked. */
    private int failures;

    ConsumerCheckpoints(WecomGroupMsgEndpoint endpoint, String routeId, Logger log, RouteStopper route,
            ExportProgress progress) {
        this.endpoint = endpoint;
        this.options = endpoint.getOptions();
        this.store = new CheckpointStore(options.config().getStateRepository(), key(options),
                endpoint.getStatistics()::checkpointWritten);
        this.routeId = routeId;
        this.log = log;
        this.route = route;
        this.progress = progress;
    }

    /**
     * The checkpoint's key: what the endpoint selects, so that a changed selection starts afresh; never the secret. No
     * '=' or line breaks, which a FileStateRepository cannot store.
     */
    static String key(WecomGroupMsgOptions options) {
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
     * Opens the export where the checkpoint stands, or at the range's start.
     *
     * @throws CheckpointNotStored while the repository fails
     * @throws StateWriteConflictException when every claim of the checkpoint lost
     */
    FollowingExport open() {
        ConsumerCheckpoint checkpoint;
        try {
            checkpoint = claim();
        } catch (CheckpointStore.Unavailable e) {
            throw failed(e);
        }
        recovered();
        // a relative startTime and whether the consumer follows mean what they meant at the first start
        range = checkpoint != null ? checkpoint.range() : rangeFromNow(endpoint.getComponent().getClock());
        FollowingExport.State state = checkpoint == null ? null : checkpoint.state();
        FollowingExport export = endpoint.createExport(options.exportSpec(), range, state, progress);
        progress.opened(routeId, options, range, export, state != null);
        return export;
    }

    /**
     * {@link #open} at the route's start, where a repository that fails (a database that is down) does not fail the
     * route: the polls read the checkpoint once it is back.
     *
     * @return the export, or null until a poll opens it
     */
    FollowingExport openAtStart() {
        try {
            return open();
        } catch (CheckpointNotStored e) {
            log.warn("Route {} waits for its checkpoint: {}; each poll tries again", routeId,
                    e.getCause().getMessage());
            return null;
        }
    }

    private FollowingExport.Range rangeFromNow(Clock clock) {
        Long end = options.endEpoch(clock);
        return new FollowingExport.Range(options.startEpoch(clock), end,
                end == null || end > clock.instant().getEpochSecond());
    }

    /**
     * Reads the checkpoint, then claims it by writing it back: a replica that wrote it meanwhile and still thinks it
     * owns the export has its next write refused by a fencing repository. A claim that loses to such a write reads the
     * checkpoint again.
     */
    private ConsumerCheckpoint claim() {
        for (int attempt = 1;; attempt++) {
            ConsumerCheckpoint checkpoint = store.load();
            try {
                store.claim(checkpoint);
                return checkpoint;
            } catch (StateWriteConflictException e) {
                if (attempt == MAX_CLAIMS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Stores where the export stands.
     *
     * @throws CheckpointNotStored when the repository fails
     * @throws StateWriteConflictException when another replica wrote it since: the route is being stopped
     */
    void save(FollowingExport export) {
        ConsumerCheckpoint checkpoint = new ConsumerCheckpoint(range, export.state());
        try {
            store.save(checkpoint, export.takeChangedParts());
        } catch (CheckpointStore.Unavailable e) {
            throw failed(e);
        } catch (StateWriteConflictException e) {
            route.stop(e.getMessage() + ": another replica owns this export now", e);
            throw e;
        }
        recovered();
        progress.stored(checkpoint.toJson(), export.getPosition(), export.getUnreadable().size());
    }

    /** Whether the checkpoint of what was handed on is stored: false from a failure until a read or write works. */
    boolean isStored() {
        return failures == 0;
    }

    /**
     * Closes the export, if any, and stores where it stands unless the route stops because it must not; then lets go of
     * a repository of its own.
     */
    void stop(FollowingExport export) {
        try {
            if (export != null) {
                export.close();
                if (!route.isStopping()) {
                    save(export);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Route {} stopped without saving its checkpoint ({}): the records of its last batch come again "
                    + "after a restart", routeId, e.getMessage());
        } finally {
            store.stop();
        }
    }

    private CheckpointNotStored failed(CheckpointStore.Unavailable e) {
        failures++;
        return new CheckpointNotStored("Route " + routeId + " hands on no more records until its checkpoint is "
                + "stored; each poll tries again (attempt " + failures + "): "
                + e.getMessage(), e, failures > 1);
    }

    private void recovered() {
        if (failures > 0) {
            log.info("Route {} stored its checkpoint after {} failed attempts and goes on", routeId, failures);
            failures = 0;
        }
    }
}
