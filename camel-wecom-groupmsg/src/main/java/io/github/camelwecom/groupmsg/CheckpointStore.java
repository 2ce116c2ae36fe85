package io.github.camelwecom.groupmsg;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Reads and writes a consumer's {@link ConsumerCheckpoint} in its {@code StateRepository}, only through
 * {@code getState} and {@code setState}: any repository works, and how replicas see each other's checkpoints is the
 * repository's business (one they share must read its store on each {@code getState}; a
 * {@code FileStateRepository} reads its file once, when started, so it suits one replica).
 */
final class CheckpointStore {

    private final StateRepository<String, String> repository;
    private final boolean owned;
    private final String key;

    CheckpointStore(StateRepository<String, String> configured, String key) {
        this.repository = configured != null ? configured : new MemoryStateRepository();
        this.owned = configured == null;
        this.key = key;
    }

    void start() {
        ServiceHelper.startService(repository);
    }

    void stop() {
        if (owned) {
            ServiceHelper.stopService(repository);
        }
    }

    /**
     * The checkpoint the repository holds now, or null to start from the beginning.
     *
     * @throws IllegalStateException when the repository holds a value under the key that is not a checkpoint this
     *                               version reads: starting over would repeat records, so the user decides
     */
    ConsumerCheckpoint load() {
        String saved = repository.getState(key);
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

    void save(ConsumerCheckpoint checkpoint) {
        repository.setState(key, checkpoint.toJson());
    }
}
