package io.github.camelwecom.groupmsg.export;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

import io.github.camelwecom.groupmsg.client.WecomApiException;

/** Ends a sequence with a marker instead of failing when WeCom refuses that data alone. */
final class SkippingRefusal<T> implements Iterator<T>, Buffered, AutoCloseable {
    private final Iterator<T> source;
    private final Function<WecomApiException, T> marker;
    private T refused;
    private boolean ended;

    SkippingRefusal(Iterator<T> source, Function<WecomApiException, T> marker) {
        this.source = source;
        this.marker = marker;
    }

    @Override
    public boolean hasNext() {
        if (refused != null) {
            return true;
        }
        if (ended) {
            return false;
        }
        try {
            return source.hasNext();
        } catch (WecomApiException e) {
            if (!e.isAboutTheMessage()) {
                throw e;
            }
            refused = marker.apply(e);
            ended = true;
            return true;
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (refused != null) {
            T last = refused;
            refused = null;
            return last;
        }
        return source.next();
    }

    @Override
    public boolean hasBuffered() {
        return refused != null || !ended && source instanceof Buffered b && b.hasBuffered();
    }

    @Override
    public void close() throws Exception {
        if (source instanceof AutoCloseable c) {
            c.close();
        }
    }
}
