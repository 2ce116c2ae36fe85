package io.github.camelwecom.groupmsg;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes a consumer's {@link ConsumerCheckpoint} in its {@code StateRepository}. A
 * {@link FileStateRepository} reads its file once, when first started, and may be shared with replicas that wrote
 * since, or hold a line torn by a kill; so its file is read again here and the newest readable checkpoint wins.
 */
final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

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
     * The newest readable checkpoint, or null to start from the beginning.
     *
     * @throws IllegalStateException when the repository holds a value under the key that is not a checkpoint this
     *                               version reads: starting over would repeat records, so the user decides
     */
    ConsumerCheckpoint load() {
        if (repository instanceof FileStateRepository file && file.getFileStore() != null) {
            ConsumerCheckpoint fromFile = newestInFile(file.getFileStore());
            if (fromFile != null) {
                return fromFile;
            }
        }
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

    /** The last line for our key whose value parses: later lines were written later, a torn one is skipped. */
    private ConsumerCheckpoint newestInFile(File store) {
        List<String> lines;
        try {
            lines = store.exists() ? Files.readAllLines(store.toPath(), StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            LOG.warn("Cannot read {} again ({}); using what the repository holds", store, e.getMessage());
            return null;
        }
        String prefix = key + "=";
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                String value = lines.get(i).substring(prefix.length());
                try {
                    ConsumerCheckpoint checkpoint = ConsumerCheckpoint.fromJson(key, value);
                    if (!value.equals(repository.getState(key))) {
                        repository.setState(key, value); // the repository's cache was older than its file
                    }
                    return checkpoint;
                } catch (IllegalArgumentException torn) {
                    LOG.warn("Skipping an unreadable checkpoint line in {}: {}", store, torn.getMessage());
                }
            }
        }
        return null;
    }
}
