package io.github.camelwecom.groupmsg.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Flattens parent → children sequences in order while reading up to {@code concurrency} parents' children at once.
 * A parent whose children are all read frees its place for the next parent even while the caller still works
 * through the ones before it, so one long sequence at the head does not idle the others; at most
 * {@code 2 × concurrency} parents are held, each with one waiting chunk of at most {@code buffer} records, so memory
 * stays bounded whatever the volume. Records are handed over in chunks, a page at a time where the children iterator
 * is {@link Buffered}: one hand-over per record cost more than reading it. A failure surfaces only after every record
 * before it was returned.
 */
final class OrderedFanOut<P, C> implements Iterator<C>, AutoCloseable {

    private static final Object END = new Object();

    private final Iterator<P> parents;
    private final Function<P, Iterator<C>> children;
    private final int concurrency;
    private final int buffer;
    private final Executor executor;
    private final Deque<Slot> slots = new ArrayDeque<>();
    private final AtomicInteger running = new AtomicInteger();
    private Iterator<C> inline = Collections.emptyIterator();
    private volatile boolean closed;
    /** The caller while it waits for a slot to add a record or finish. */
    private volatile Thread waiting;
    private boolean parentsFailed;
    private boolean parentsDone;
    private C lookahead;
    private List<C> chunk = List.of();
    private int chunkIndex;

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
        return executor == null ? advanceInline() : advanceConcurrent();
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

    /** Without an executor: one parent at a time on the caller's thread, no threads, no buffers. */
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
                if (chunkIndex < chunk.size()) {
                    lookahead = chunk.get(chunkIndex++);
                    return true;
                }
                startSlots();
                Slot head = slots.peekFirst();
                if (head == null) {
                    return false;
                }
                Object item = head.queue.poll();
                if (item == null) {
                    awaitProgress(head);
                } else if (item == END) {
                    slots.pollFirst();
                } else if (item instanceof Failure failure) {
                    close();
                    throw failure.exception;
                } else {
                    chunk = (List<C>) item;
                    chunkIndex = 0;
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Waits until the head slot has a record or another slot finished (and so a new one may start). Slots wake the
     * caller only while it waits here; the timeout is a safety net, not the signal.
     */
    private void awaitProgress(Slot head) {
        waiting = Thread.currentThread();
        try {
            if (head.queue.isEmpty() && !canStartSlot() && !closed) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
            }
        } finally {
            waiting = null;
        }
        if (Thread.currentThread().isInterrupted()) {
            close();
            throw new WecomApiException("fan-out", WecomApiException.NO_ERRCODE, "interrupted", false, null);
        }
    }

    private boolean canStartSlot() {
        return !parentsDone && !parentsFailed && running.get() < concurrency && slots.size() < 2 * concurrency;
    }

    private void wakeCaller() {
        Thread caller = waiting;
        if (caller != null) {
            LockSupport.unpark(caller);
        }
    }

    /**
     * Starts parents while fewer than {@code concurrency} read and fewer than twice that are held; a failure to read
     * the parents queues up behind the running ones.
     */
    private void startSlots() {
        while (canStartSlot()) {
            P parent;
            try {
                if (!parents.hasNext()) {
                    parentsDone = true;
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
            running.incrementAndGet();
            try {
                executor.execute(slot);
            } catch (RuntimeException e) {
                running.decrementAndGet();
                slot.queue.clear();
                slot.queue.add(new Failure(e));
                parentsFailed = true;
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        slots.clear();
        chunk = List.of();
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
        /** Chunks of records, then END or a Failure; one chunk waits while the next is read. */
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(1);

        Slot(P parent) {
            this.parent = parent;
        }

        @Override
        public void run() {
            Object last;
            try {
                Iterator<C> it = children.apply(parent);
                List<C> records = new ArrayList<>();
                while (!closed && it.hasNext()) {
                    records.add(it.next());
                    boolean more = it instanceof Buffered b && b.hasBuffered();
                    if (records.size() >= buffer || !more) {
                        if (!put(records)) {
                            running.decrementAndGet();
                            return;
                        }
                        records = new ArrayList<>();
                    }
                }
                last = END;
            } catch (RuntimeException e) {
                last = new Failure(e);
            }
            // before the last put: the caller taking it must find this slot's place free
            running.decrementAndGet();
            put(last);
        }

        /** Waits for room, giving up when the fan-out was closed. */
        private boolean put(Object item) {
            try {
                while (!closed) {
                    if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                        wakeCaller();
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
