package io.github.camelwecom.groupmsg.client;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A lazy iterator over every record of a cursor-paged API: a page is fetched only when the previous one is used up.
 * It starts at any {@link PagePosition} and tells the position after each record it returned. When WeCom declares a
 * cursor invalid (50100) it starts over from the first page and skips the records already returned.
 */
public final class Pager<T> implements Iterator<T>, Buffered {

    /** Fetches the page at a cursor ("" = first page). */
    @FunctionalInterface
    public interface PageFetcher<T> {
        Page<T> fetch(String cursor);
    }

    private static final int MAX_RESTARTS = 3;

    private final PageFetcher<T> fetcher;
    private final PagePosition start;
    private List<T> page;
    private String pageCursor;
    private String nextCursor;
    private int index;
    private long ordinal;
    private int restarts;
    private boolean started;

    public Pager(PageFetcher<T> fetcher, PagePosition start) {
        this.fetcher = fetcher;
        this.start = start == null ? PagePosition.START : start;
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
            if (!load(start.cursor())) {
                index = Math.min(start.offset(), page.size());
            }
        }
        while (index >= page.size()) {
            if (nextCursor.isEmpty()) {
                return false;
            }
            load(nextCursor);
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ordinal++;
        return page.get(index++);
    }

    /** Whether the next record is in the page already read. */
    @Override
    public boolean hasBuffered() {
        return started && index < page.size();
    }

    /** The position after the record {@link #next()} returned last: resuming there returns the record after it. */
    public PagePosition position() {
        if (!started) {
            return start;
        }
        if (index < page.size()) {
            return new PagePosition(pageCursor, index, ordinal);
        }
        return nextCursor.isEmpty() ? PagePosition.finished(ordinal) : new PagePosition(nextCursor, 0, ordinal);
    }

    /**
     * Loads the page at {@code cursor}; true when a cursor was refused (50100) and reading started over instead, as
     * often as {@link #MAX_RESTARTS} allows.
     */
    private boolean load(String cursor) {
        boolean restarted = false;
        while (true) {
            try {
                if (restarted) {
                    restartSkipping(ordinal);
                } else {
                    setPage(cursor, fetcher.fetch(cursor));
                }
                return restarted;
            } catch (WecomApiException e) {
                boolean hadCursor = restarted || !cursor.isEmpty();
                if (e.getErrcode() != RetryPolicy.INVALID_CURSOR || !hadCursor || ++restarts > MAX_RESTARTS) {
                    throw e;
                }
                restarted = true;
            }
        }
    }

    /** Reads again from the first page, skipping the {@code done} records already returned (order is stable). */
    private void restartSkipping(long done) {
        String cursor = "";
        setPage(cursor, fetcher.fetch(cursor));
        long toSkip = done;
        while (toSkip >= page.size() && !nextCursor.isEmpty()) {
            toSkip -= page.size();
            cursor = nextCursor;
            setPage(cursor, fetcher.fetch(cursor));
        }
        index = (int) Math.min(toSkip, page.size());
    }

    private void setPage(String cursor, Page<T> fetched) {
        page = fetched.records();
        pageCursor = cursor;
        nextCursor = fetched.nextCursor();
        index = 0;
    }
}
