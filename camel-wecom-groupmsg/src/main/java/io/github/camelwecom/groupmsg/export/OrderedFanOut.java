package io.github.camelwecom.groupmsg.export;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.github.camelwecom.groupmsg.client.WecomApiException;

/**
 * Flattens parent → children sequences in order while the children of the next {@code ahead} parents are read at once,
 * each parent's by one task on the executor. The requests themselves are limited by the client's in-flight semaphore,
 * so more parents can be held than requests run: a parent with a long sequence does not idle the others. Each parent
 * hands over its records in chunks (a page at a time where its iterator is {@link Buffered}) through a queue of one
 * chunk, so at most about {@code 2 × ahead} chunks are in memory whatever the volume. A failure surfaces in order,
 * after every record before it.
 */
final class OrderedFanOut<P, C> implements Iterator<C>, AutoCloseable {

    private final Iterator<P> parents;
    private final Function<P, Iterator<C>> children;
    private final int ahead;
    private final int chunkSize;
    private final ExecutorService executor;
    private final Pauses pauses;
    private final Deque<Slot> slots = new ArrayDeque<>();
    private Iterator<C> current = Collections.emptyIterator();
    private boolean parentsDone;
    private volatile boolean closed;

    /**
     * @param ahead parents read at once
     * @param chunkSize most records handed over at a time
     * @param executor runs the reads
     */
    OrderedFanOut(Iterator<P> parents, Function<P, Iterator<C>> children, int ahead, int chunkSize,
            ExecutorService executor) {
        this(parents, children, ahead, chunkSize, executor, Pauses.NONE);
    }

    /** @param pauses called at each hand-off between the caller and the reads: tests widen the races with it */
    OrderedFanOut(Iterator<P> parents, Function<P, Iterator<C>> children, int ahead, int chunkSize,
            ExecutorService executor, Pauses pauses) {
        this.parents = parents;
        this.children = children;
        this.ahead = Math.max(1, ahead);
        this.chunkSize = Math.max(1, chunkSize);
        this.executor = executor;
        this.pauses = pauses;
    }

    @Override
    public boolean hasNext() {
        try {
            while (!current.hasNext()) {
                if (closed) {
                    return false;
                }
                startSlots();
                Slot head = slots.peekFirst();
                if (head == null) {
                    return false;
                }
                List<C> chunk = head.take();
                if (chunk == null) {
                    slots.pollFirst();
                } else {
                    current = chunk.iterator();
                }
            }
            return true;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public C next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    /** Keeps {@code ahead} parents read; a failure to get the next parent is a slot that fails in its turn. */
    private void startSlots() {
        while (!parentsDone && slots.size() < ahead) {
            Slot slot = new Slot();
            slots.addLast(slot);
            try {
                if (!parents.hasNext()) {
                    parentsDone = true;
                    slots.pollLast();
                    return;
                }
                P parent = parents.next();
                slot.future = executor.submit(() -> slot.read(parent));
            } catch (RuntimeException e) {
                // no further parent, or no thread to read this one: the caller meets it after the slots before
                parentsDone = true;
                slot.end(e);
            }
        }
    }

    /** Stops the reads: the tasks still running are interrupted, whatever they wait for. */
    @Override
    public void close() {
        closed = true;
        for (Slot slot; (slot = slots.pollFirst()) != null;) {
            pauses.at(Point.CANCEL);
            slot.cancel();
        }
        current = Collections.emptyIterator();
        if (parents instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing inner fan-outs does not fail
            }
        }
    }

    private static WecomApiException interrupted() {
        return new WecomApiException("fan-out", WecomApiException.Kind.INTERRUPTED, "interrupted", false);
    }

    /**
     * One parent's records on their way from its task to the caller: a queue of one chunk, and once the task ended
     * whether it failed. The end needs no room in the queue, so a task whose last chunk waits there is already done and
     * its thread free.
     */
    private final class Slot {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
        private volatile Throwable failure;
        private volatile boolean done;
        private volatile Future<?> future;

        /** The task: reads the parent's children and hands them over. */
        void read(P parent) {
            try {
                Iterator<C> it = children.apply(parent);
                List<C> chunk = new ArrayList<>();
                while (!closed && it.hasNext()) {
                    chunk.add(it.next());
                    if (chunk.size() >= chunkSize || !(it instanceof Buffered b && b.hasBuffered())) {
                        pauses.at(Point.PUT);
                        queue.put(chunk);
                        chunk = new ArrayList<>();
                    }
                }
                if (!chunk.isEmpty()) {
                    pauses.at(Point.PUT);
                    queue.put(chunk);
                }
                end(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closed: nobody takes from this slot any more
            } catch (RuntimeException | Error e) {
                end(e);
            }
        }

        /**
         * Set after the last chunk is queued and before the wake-up is offered: a caller that sees it finds in the
         * queue whatever is left; one that does not waits on the queue for the wake-up, or the chunk in its place.
         */
        void end(Throwable e) {
            pauses.at(Point.END);
            failure = e;
            done = true;
            queue.offer(End.DONE);
        }

        /** The next chunk; null once the parent's records are all taken. */
        @SuppressWarnings("unchecked")
        List<C> take() {
            Object next = queue.poll();
            try {
                if (next == null) {
                    pauses.at(Point.TAKE);
                    // the last chunk may have come since the poll: done is set only after it, so look once more
                    next = done ? queue.poll() : queue.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted();
            }
            if (next != null && next != End.DONE) {
                return (List<C>) next;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
            }
            return null;
        }

        void cancel() {
            Future<?> f = future;
            if (f != null) {
                f.cancel(true);
            }
        }
    }

    private enum End {
        DONE
    }

    /** Test seam: a pause at each hand-off between the caller and the reads; none in production. */
    @FunctionalInterface
    interface Pauses {
        Pauses NONE = point -> {
        };

        void at(Point point);
    }

    /** The hand-offs between the caller and the reads. */
    enum Point {
        /** A read is about to hand over a chunk. */
        PUT,
        /** A read is about to say it ended, after its last chunk or its failure. */
        END,
        /** The caller found the queue empty and is about to look whether the read ended. */
        TAKE,
        /** The caller is about to cancel a read. */
        CANCEL
    }

}
