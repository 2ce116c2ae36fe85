package io.github.camelwecom.groupmsg.export;

import java.util.Iterator;
import java.util.function.Function;

/** A lazy map over an iterator that also closes what it maps. */
final class Mapped<A, B> implements Iterator<B>, Buffered, AutoCloseable {
    private final Iterator<A> source;
    private final Function<A, B> mapper;

    Mapped(Iterator<A> source, Function<A, B> mapper) {
        this.source = source;
        this.mapper = mapper;
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public B next() {
        return mapper.apply(source.next());
    }

    @Override
    public boolean hasBuffered() {
        return source instanceof Buffered b && b.hasBuffered();
    }

    @Override
    public void close() throws Exception {
        if (source instanceof AutoCloseable c) {
            c.close();
        }
    }
}
