package io.github.camelwecom.groupmsg.export;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.export.ExportRecord.Change;

/**
 * What WeCom refused ({@link Unreadable}) and later passes read again: the refused reads, and the retries of the open
 * pass, each read from where it stopped. A retry refused again ends in the new refusal's marker, one that succeeds in a
 * {@link FollowingExport.Recovered} marker; committing those is what keeps or forgets a read.
 */
final class RefusedReads {

    /**
     * By {@link Unreadable#key()}, in the order they were refused. Changed only by commits on the caller's thread, also
     * read by fan-out workers: a worker at worst reads a refused read once more in a pass.
     */
    private final Map<String, Unreadable> kept = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Deque<Unreadable> toRetry = new ArrayDeque<>();
    private Function<Unreadable, GroupMsgExport> reader;
    private Unreadable retrying;
    private GroupMsgExport retry;
    private boolean refusedAgain;

    /** @param from the reads kept in the state resumed from, null for none */
    RefusedReads(List<Unreadable> from) {
        if (from != null) {
            from.forEach(u -> kept.put(u.key(), u));
        }
    }

    /**
     * Plans the retries of a pass: each read refused before {@code pass}, read by what {@code reader} makes of it.
     *
     * @return whether there is any
     */
    boolean planRetries(long pass, Function<Unreadable, GroupMsgExport> reader) {
        close();
        this.reader = reader;
        synchronized (kept) {
            kept.values().stream().filter(u -> u.refusedIn() < pass).forEach(toRetry::add);
        }
        return !toRetry.isEmpty();
    }

    /** The next record of the planned retries, null once they are all read; {@link #retrying()} is its read. */
    ExportRecord next() {
        while (true) {
            if (retry == null) {
                if (toRetry.isEmpty()) {
                    return null;
                }
                retrying = toRetry.poll();
                refusedAgain = false;
                retry = reader.apply(retrying);
            } else if (retry.hasNext()) {
                ExportRecord record = retry.next();
                refusedAgain |= record.record() instanceof Unreadable u && u.key().equals(retrying.key());
                return record;
            } else {
                retry.close();
                retry = null;
                if (!refusedAgain) {
                    return new ExportRecord(new FollowingExport.Recovered(retrying), null, null, retrying.userid(),
                            null, Change.NONE);
                }
            }
        }
    }

    /** The refused read whose retry returned the last record. */
    Unreadable retrying() {
        return retrying;
    }

    /** Whether this message's tasks or member's results wait for their retry (fan-out workers ask). */
    boolean pending(GroupMsgApi api, String msgid, String userid) {
        return !kept.isEmpty() && kept.containsKey(Unreadable.key(api, msgid, userid));
    }

    /** The read as kept now, null when it is not (any more). */
    Unreadable kept(Unreadable read) {
        return kept.get(read.key());
    }

    /**
     * Keeps a refusal committed in {@code pass}.
     *
     * @param handedOn follow mode: the member's results handed on before the refusal
     * @return whether the read was refused before: a retry refused again
     */
    boolean refused(Unreadable refusal, long pass, String handedOn) {
        Unreadable before = kept.get(refusal.key());
        kept.put(refusal.key(), before != null ? before.refusedAgain(refusal, pass, handedOn)
                : refusal.refusedIn(pass, handedOn));
        return before != null;
    }

    /** A record of the read's retry was committed: a later retry goes on after it. */
    void readTo(Unreadable read, ExportPosition position) {
        kept.put(read.key(), read.readTo(position));
    }

    /** The read's retry was read to its end. */
    void recovered(Unreadable read) {
        kept.remove(read.key());
    }

    /** The kept reads, in the order they were refused. */
    List<Unreadable> list() {
        synchronized (kept) {
            return List.copyOf(kept.values());
        }
    }

    boolean isEmpty() {
        return kept.isEmpty();
    }

    int size() {
        return kept.size();
    }

    /** Drops the open pass's retries; the next plan reads each again from where its commits left it. */
    void close() {
        toRetry.clear();
        retrying = null;
        if (retry != null) {
            retry.close();
            retry = null;
        }
    }
}
