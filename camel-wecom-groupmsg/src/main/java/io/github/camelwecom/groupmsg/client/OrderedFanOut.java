package io.github.camelwecom.groupmsg.client;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Flattens parent → children sequences in order while reading up to {@code concurrency} parents' children at once.
 * Each running parent fills a bounded buffer, so memory stays at {@code concurrency × buffer} records whatever the
 * volume; a failure surfaces only after every record before it was returned.
 */
final class OrderedFanOut<P, C> implements Iterator<C>, AutoCloseable {

    private static final Object END = new Object();

    private final Iterator<P> parents;
    private final Function<P, Iterator<C>> children;
    private final int concurrency;
    private final int buffer;
    private final Executor executor;
    private final Deque<Slot> slots = new ArrayDeque<>();
    private Iterator<C> inline = Collections.emptyIterator();
    private volatile boolean closed;
    private boolean parentsFailed;
    private C lookahead;

    OrderedFanOut(Iterator<P> parents, Function<P, Iterator<C>> children, int concurrency, int buffer,
                  Executor executor) {
        this.parents = parents;
        this.children = children;
        this.concurrency = executor == null ? 1 : Math.max(1, concurrency);
        this.buffer = Math.max(1, buffer);
        this.executor = executor;
    }

    @Override
    public boolean hasNext() {
        if (lookahead != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        return concurrency == 1 ? advanceInline() : advanceConcurrent();
    }

    @Override
    public C next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        C item = lookahead;
        lookahead = null;
        return item;
    }

    /** One parent at a time on the caller's thread: no threads, no buffers. */
    private boolean advanceInline() {
        while (!inline.hasNext()) {
            if (!parents.hasNext()) {
                return false;
            }
            inline = children.apply(parents.next());
        }
        lookahead = inline.next();
        return true;
    }

    @SuppressWarnings("unchecked")
    private boolean advanceConcurrent() {
        try {
            while (true) {
                startSlots();
                Slot head = slots.peekFirst();
                if (head == null) {
                    return false;
                }
                Object item = head.queue.take();
                if (item == END) {
                    slots.pollFirst();
                } else if (item instanceof Failure failure) {
                    close();
                    throw failure.exception;
                } else {
                    lookahead = (C) item;
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new WecomApiException("fan-out", WecomApiException.NO_ERRCODE, "interrupted", false, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts parents up to the concurrency; a failure to read the parents queues up behind the running ones. */
    private void startSlots() {
        while (!parentsFailed && slots.size() < concurrency) {
            P parent;
            try {
                if (!parents.hasNext()) {
                    return;
                }
                parent = parents.next();
            } catch (RuntimeException e) {
                parentsFailed = true;
                Slot failed = new Slot(null);
                failed.queue.add(new Failure(e));
                slots.addLast(failed);
                return;
            }
            Slot slot = new Slot(parent);
            slots.addLast(slot);
            executor.execute(slot);
        }
    }

    @Override
    public void close() {
        closed = true;
        slots.clear();
        if (parents instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing inner fan-outs does not fail
            }
        }
    }

    private record Failure(RuntimeException exception) {
    }

    private final class Slot implements Runnable {
        private final P parent;
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(buffer);

        Slot(P parent) {
            this.parent = parent;
        }

        @Override
        public void run() {
            try {
                Iterator<C> it = children.apply(parent);
                while (!closed && it.hasNext()) {
                    if (!put(it.next())) {
                        return;
                    }
                }
                put(END);
            } catch (RuntimeException e) {
                put(new Failure(e));
            }
        }

        /** Waits for room, giving up when the fan-out was closed. */
        private boolean put(Object item) {
            try {
                while (!closed) {
                    if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
