package io.github.camelwecom.groupmsg.export;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.Page;
import io.github.camelwecom.groupmsg.client.WecomApiException;

/**
 * A lazy iterator over every record of a cursor-paged API: a page is fetched only when the previous one is used up. It
 * starts at any {@link PagePosition} and tells the position after each record it returned.
 * <p>
 * It takes no answer on trust. A record whose key it already returned in this sequence is passed over, as is one the
 * caller does not accept (a list record outside its window). When WeCom declares a cursor invalid (50100) or hands out
 * a cursor already used in this sequence (which would read the same pages forever), it reads again from the first page
 * and skips the records already passed; after {@link #MAX_RESTARTS} such restarts it fails.
 */
final class Pager<T> implements Iterator<T>, Buffered {

    /** Fetches the page at a cursor ("" = first page). */
    @FunctionalInterface
    public interface PageFetcher<T> {
        Page<T> fetch(String cursor);
    }

    static final int MAX_RESTARTS = 3;

    private final GroupMsgApi api;
    private final PageFetcher<T> fetcher;
    private final PagePosition start;
    private final Function<T, String> key;
    private final Predicate<T> accept;
    /** Keys returned in this sequence: a server may repeat a record within a page or across pages. */
    private final Set<String> returned = new HashSet<>();
    /** Cursors fetched since the sequence last started from its first page. */
    private final Set<String> usedCursors = new HashSet<>();
    private List<T> page;
    private String pageCursor;
    private String nextCursor;
    private int index;
    /** Records of the sequence passed so far, returned or not: what a restart skips. */
    private long ordinal;
    private int restarts;
    private boolean started;

    /**
     * @param key identifies a record within the sequence; null keys are never repeats
     * @param accept which records to return at all; null for every one
     */
    public Pager(GroupMsgApi api, PageFetcher<T> fetcher, PagePosition start, Function<T, String> key,
            Predicate<T> accept) {
        this.api = api;
        this.fetcher = fetcher;
        this.start = start == null ? PagePosition.START : start;
        this.key = key;
        this.accept = accept;
    }

    @Override
    public boolean hasNext() {
        if (!started) {
            started = true;
            if (start.isFinished()) {
                page = List.of();
                nextCursor = "";
                ordinal = start.ordinal();
                return false;
            }
            ordinal = start.ordinal();
            if (start.cursor().isEmpty()) {
                restartFrom(restartSkipping(ordinal)); // the first page, or a position that must not trust a cursor
            } else if (!load(start.cursor())) {
                index = Math.min(start.offset(), page.size());
            }
        }
        while (true) {
            passOver();
            if (index < page.size()) {
                return true;
            }
            if (nextCursor.isEmpty()) {
                return false;
            }
            load(nextCursor);
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ordinal++;
        T record = page.get(index++);
        if (key != null) {
            String k = key.apply(record);
            if (k != null) {
                returned.add(k);
            }
        }
        return record;
    }

    /** Whether the next record is in the page already read. */
    @Override
    public boolean hasBuffered() {
        return page != null && index < page.size();
    }

    /**
     * The position after the record {@link #next()} returned last: resuming there returns the record after it. In a
     * page whose next_cursor was already used the cursors are not to be trusted: resuming from one would read again the
     * pages of the cycle that this sequence has handed out. Such a position reads from the first page and skips what
     * was passed, as a restart does.
     */
    public PagePosition position() {
        if (page == null) {
            return start; // nothing read yet, or the first page failed
        }
        passOver();
        if (!nextCursor.isEmpty() && usedCursors.contains(nextCursor)) {
            return new PagePosition("", (int) Math.min(ordinal, Integer.MAX_VALUE), ordinal);
        }
        if (index < page.size()) {
            return new PagePosition(pageCursor, index, ordinal);
        }
        return nextCursor.isEmpty() ? PagePosition.finished(ordinal) : new PagePosition(nextCursor, 0, ordinal);
    }

    /** Moves past the records of the current page that are not to be returned. */
    private void passOver() {
        while (index < page.size() && !wanted(page.get(index))) {
            index++;
            ordinal++;
        }
    }

    private boolean wanted(T record) {
        if (accept != null && !accept.test(record)) {
            return false;
        }
        if (key == null) {
            return true;
        }
        String k = key.apply(record);
        return k == null || !returned.contains(k);
    }

    /**
     * Loads the page at {@code cursor}; true when the sequence had to start over instead, as often as
     * {@link #MAX_RESTARTS} allows.
     */
    private boolean load(String cursor) {
        RuntimeException restartFor = visit(cursor);
        restartFrom(restartFor);
        return restartFor != null;
    }

    /** Starts the sequence over while {@code restartFor} says it must, as often as {@link #MAX_RESTARTS} allows. */
    private void restartFrom(RuntimeException restartFor) {
        while (restartFor != null) {
            if (++restarts > MAX_RESTARTS) {
                throw restartFor;
            }
            restartFor = restartSkipping(ordinal);
        }
    }

    /** Fetches the page at {@code cursor}: null when it was read, else why the sequence must start over. */
    private RuntimeException visit(String cursor) {
        if (!cursor.isEmpty() && !usedCursors.add(cursor)) {
            return new WecomApiException(api.path(), WecomApiException.Kind.BAD_ANSWER, "WeCom repeated a "
                    + "next_cursor it had already given for this query, so paging would never end (read again from "
                    + "the first page " + MAX_RESTARTS + " times, and it repeated each time)", false);
        }
        try {
            setPage(cursor, fetcher.fetch(cursor));
            return null;
        } catch (WecomApiException e) {
            if (e.isInvalidCursor() && !cursor.isEmpty()) {
                return e;
            }
            usedCursors.remove(cursor); // not read: a resume may ask for it again, it is no sign of a cycle
            throw e;
        }
    }

    /** Reads again from the first page, skipping the {@code done} records already passed (order is stable). */
    private RuntimeException restartSkipping(long done) {
        usedCursors.clear();
        RuntimeException restartFor = visit("");
        long toSkip = done;
        while (restartFor == null && toSkip >= page.size() && !nextCursor.isEmpty()) {
            toSkip -= page.size();
            restartFor = visit(nextCursor);
        }
        if (restartFor == null) {
            index = (int) Math.min(toSkip, page.size());
        }
        return restartFor;
    }

    private void setPage(String cursor, Page<T> fetched) {
        page = fetched.records();
        pageCursor = cursor;
        nextCursor = fetched.nextCursor();
        index = 0;
    }
}
