package io.github.camelwecom.groupmsg;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.LongConsumer;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Reads and writes a consumer's {@link ConsumerCheckpoint}, and the engine's tracked parts beside it
 * ({@link CheckpointParts}), in its {@code StateRepository}, only through {@code getState} and {@code setState}: any
 * repository works, and how replicas see each other's checkpoints is the repository's business (one they share must
 * read its store on each {@code getState}; a {@code FileStateRepository} reads its file once, when started, so it suits
 * one replica). A repository that fails (a database that is down) surfaces as {@link Unavailable}, which the consumer
 * retries; a value it cannot read and a write another writer fenced off ({@link StateWriteConflictException}) are not
 * retried.
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
    private final LongConsumer written;
    private CheckpointParts parts;

    /** @param written told the bytes of each value written, for the statistics */
    CheckpointStore(StateRepository<String, String> configured, String key, LongConsumer written) {
        this.repository = configured != null ? configured : new MemoryStateRepository();
        this.owned = configured == null;
        this.key = key;
        this.written = written;
        this.parts = newParts();
    }

    void stop() {
        if (owned) {
            ServiceHelper.stopService(repository);
        }
    }

    /**
     * The checkpoint the repository holds now, with its tracked parts, or null to start from the beginning. What a save
     * wrote before is forgotten: the next saves continue from what this read.
     *
     * @throws Unavailable when the repository cannot be started or read now
     * @throws IllegalStateException when the repository holds a value under the key that is not a checkpoint this
     * version reads, or parts that are not all there: starting over would repeat records, so the user decides
     */
    ConsumerCheckpoint load() {
        try {
            ServiceHelper.startService(repository);
        } catch (RuntimeException e) {
            throw unavailable("read", e);
        }
        String saved = read(key);
        parts = newParts();
        ConsumerCheckpoint checkpoint = saved == null ? null : parse(saved);
        Map<String, String> tracked = parts.load(checkpoint != null);
        return checkpoint == null || tracked.isEmpty() ? checkpoint : checkpoint.withTracked(tracked);
    }

    /**
     * Claims what {@link #load} read by writing it back with a new claim count.
     *
     * @throws Unavailable when the repository cannot write now
     * @throws StateWriteConflictException when another writer wrote the checkpoint since this one read it
     */
    void claim(ConsumerCheckpoint checkpoint) {
        parts.claim();
        if (checkpoint != null) {
            write(key, checkpoint.toJson());
        }
    }

    /**
     * Writes the changed parts, then the checkpoint: parts ahead of it hold only records that were handed on. Parts a
     * failed save did not write are written by the next one.
     *
     * @param changed part id to new value, or to null for a part that is gone
     * @throws Unavailable when the repository cannot write now
     * @throws StateWriteConflictException when another writer wrote one of the keys since this one read it
     */
    void save(ConsumerCheckpoint checkpoint, Map<String, String> changed) {
        parts.save(changed);
        write(key, checkpoint.toJson());
    }

    private CheckpointParts newParts() {
        return new CheckpointParts(key, new CheckpointParts.Keys() {
            @Override
            public String get(String k) {
                return read(k);
            }

            @Override
            public void set(String k, String value) {
                write(k, value);
            }
        });
    }

    private ConsumerCheckpoint parse(String saved) {
        try {
            return ConsumerCheckpoint.fromJson(key, saved);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + ". Remove the key from the stateRepository to export "
                    + "again from startTime (records emitted before come again), or put "
                    + "back a good value", e);
        }
    }

    private String read(String k) {
        try {
            return repository.getState(k);
        } catch (RuntimeException e) {
            throw unavailable("read", e);
        }
    }

    private void write(String k, String value) {
        try {
            repository.setState(k, value);
        } catch (StateWriteConflictException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable("write", e);
        }
        written.accept(value.getBytes(StandardCharsets.UTF_8).length);
    }

    private Unavailable unavailable(String what, RuntimeException e) {
        // the repository's message names its store and often the key, never the value
        String cause = String.valueOf(e.getMessage());
        return new Unavailable("Cannot " + what + " the checkpoint" + (cause.contains(key) ? "" : " " + key)
                + " in the stateRepository " + repository + ": " + cause, e);
    }
}
