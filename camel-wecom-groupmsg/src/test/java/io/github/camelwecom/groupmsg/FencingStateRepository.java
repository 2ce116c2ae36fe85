package io.github.camelwecom.groupmsg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A test {@link StateRepository} over a store that several instances (replicas) share, which counts and records its
 * writes, can fail its Nth write, and fences like {@code JdbcStateRepository}: a key this instance read or wrote is
 * written only if nobody else wrote it since, else {@link StateWriteConflictException}; a key it never touched is
 * written unfenced.
 */
final class FencingStateRepository extends ServiceSupport implements StateRepository<String, String> {

    private record Versioned(String value, long version) {
    }

    private final Map<String, Versioned> store;
    private final Map<String, Long> seen = new HashMap<>();
    /** Keys written by this instance, in order. */
    final List<String> writes = new ArrayList<>();
    /** Characters of the values this instance wrote (ASCII here, so bytes). */
    long written;
    private int setCalls;
    private int failAt;

    FencingStateRepository() {
        this(new ConcurrentHashMap<>());
    }

    private FencingStateRepository(Map<String, Versioned> store) {
        this.store = store;
    }

    /** Another replica's repository on the same store. */
    FencingStateRepository replica() {
        return new FencingStateRepository(store);
    }

    /** The {@code n}th write from now fails, as a database that went down would (0: none). */
    void failWrite(int n) {
        failAt = n == 0 ? 0 : setCalls + n;
    }

    @Override
    public synchronized String getState(String key) {
        Versioned current = store.get(key);
        seen.put(key, current == null ? 0 : current.version());
        return current == null ? null : current.value();
    }

    @Override
    public synchronized void setState(String key, String value) {
        if (++setCalls == failAt) {
            throw new IllegalStateException("database down");
        }
        Versioned current = store.get(key);
        long version = current == null ? 0 : current.version();
        Long expected = seen.get(key);
        if (expected != null && expected != version) {
            throw new StateWriteConflictException(key, "State " + key + " was written by another writer");
        }
        store.put(key, new Versioned(value, version + 1));
        seen.put(key, version + 1);
        writes.add(key);
        written += value.length();
    }

    /** The keys that hold a value, in the shared store. */
    List<String> keys() {
        return List.copyOf(store.keySet());
    }
}
