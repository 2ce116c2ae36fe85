package io.github.camelwecom.groupmsg;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Reads and writes a consumer's {@link ConsumerCheckpoint} in its {@code StateRepository}, only through
 * {@code getState} and {@code setState}: any repository works, and how replicas see each other's checkpoints is the
 * repository's business (one they share must read its store on each {@code getState}; a {@code FileStateRepository}
 * reads its file once, when started, so it suits one replica). A repository that fails (a database that is down)
 * surfaces as {@link Unavailable}, which the consumer retries; a value it cannot read and a write another writer fenced
 * off ({@link StateWriteConflictException}) are not retried.
 */
final class CheckpointStore {

    /** The repository failed to start, read or write; the same call may work later. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, RuntimeException cause) {
            super(message, cause);
        }
    }

    private final StateRepository<String, String> repository;
    private final boolean owned;
    private final String key;

    CheckpointStore(StateRepository<String, String> configured, String key) {
        this.repository = configured != null ? configured : new MemoryStateRepository();
        this.owned = configured == null;
        this.key = key;
    }

    void stop() {
        if (owned) {
            ServiceHelper.stopService(repository);
        }
    }

    /**
     * The checkpoint the repository holds now, or null to start from the beginning.
     *
     * @throws Unavailable when the repository cannot be started or read now
     * @throws IllegalStateException when the repository holds a value under the key that is not a checkpoint this
     * version reads: starting over would repeat records, so the user decides
     */
    ConsumerCheckpoint load() {
        String saved;
        try {
            ServiceHelper.startService(repository);
            saved = repository.getState(key);
        } catch (RuntimeException e) {
            throw unavailable("read", e);
        }
        if (saved == null) {
            return null;
        }
        try {
            return ConsumerCheckpoint.fromJson(key, saved);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + ". Remove the key from the stateRepository to export "
                    + "again from startTime (records emitted before come again), or put "
                    + "back a good value", e);
        }
    }

    /** Interim: the tracked part "all" under its own key, until parts are stored each under a slot. */
    java.util.Map<String, String> loadParts() {
        String all = repository.getState(key + "|all");
        return all == null ? null : java.util.Map.of("all", all);
    }

    void saveParts(java.util.Map<String, String> parts) {
        parts.forEach((id, value) -> repository.setState(key + "|" + id, value));
    }

    /**
     * @throws Unavailable when the repository cannot write now
     * @throws StateWriteConflictException when another writer wrote the key since this one read it
     */
    void save(ConsumerCheckpoint checkpoint) {
        try {
            repository.setState(key, checkpoint.toJson());
        } catch (StateWriteConflictException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable("write", e);
        }
    }

    private Unavailable unavailable(String what, RuntimeException e) {
        // the repository's message names its store and often the key, never the value
        String cause = String.valueOf(e.getMessage());
        return new Unavailable("Cannot " + what + " the checkpoint" + (cause.contains(key) ? "" : " " + key)
                + " in the stateRepository " + repository + ": " + cause, e);
    }
}
