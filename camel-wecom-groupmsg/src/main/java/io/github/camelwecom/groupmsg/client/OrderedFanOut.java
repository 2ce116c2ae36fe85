package io.github.camelwecom.groupmsg.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Flattens parent → children sequences in order while reading up to {@code concurrency} parents' children at once.
 * Up to {@code 4 × concurrency} parents are held as slots; at most {@code concurrency} workers read them, each going
 * on to the waiting slot of the highest priority (then the first) as soon as it has read one, so one long sequence at
 * the head does not idle the others, a long sequence further on can start early, and no thread is handed a new task
 * per parent. When every worker is on a later slot, the caller reads the head itself. Each slot holds one waiting
 * chunk of at most {@code buffer} records, so memory stays bounded whatever the volume. Records are handed over in
 * chunks, a page at a time where the children iterator is {@link Buffered}: one hand-over per record cost more than
 * reading it. A failure surfaces only after every record before it was returned.
 */
final class OrderedFanOut<P, C> implements Iterator<C>, AutoCloseable {

    /**
     * Parents held per worker: enough that a long sequence a few dozen parents on is already held, and started first,
     * when its priority says so; each held slot keeps at most one chunk, so this also bounds memory.
     */
    static final int HELD_PER_WORKER = 4;

    private final Iterator<P> parents;
    private final Function<P, Iterator<C>> children;
    private final int concurrency;
    private final int buffer;
    private final Executor executor;
    private final ToIntFunction<P> priority;
    private final Deque<Slot> slots = new ArrayDeque<>();
    /** Slots created but not yet read by a worker: the highest priority first, then in order. */
    private final Queue<Slot> pending = new PriorityBlockingQueue<>();
    private long created;
    private final AtomicInteger workers = new AtomicInteger();
    /** Without an executor: the current parent's children; with one: the head's, when the caller reads it. */
    private Iterator<C> inline = Collections.emptyIterator();
    private boolean readingHead;
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
        this(parents, children, concurrency, buffer, executor, p -> 0);
    }

    /** @param priority parents with a higher value are read first among the held ones (e.g. the longest expected) */
    OrderedFanOut(Iterator<P> parents, Function<P, Iterator<C>> children, int concurrency, int buffer,
                  Executor executor, ToIntFunction<P> priority) {
        this.parents = parents;
        this.priority = priority;
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

    private boolean advanceConcurrent() {
        try {
            while (true) {
                if (chunkIndex < chunk.size()) {
                    lookahead = chunk.get(chunkIndex++);
                    return true;
                }
                if (inline.hasNext()) {
                    lookahead = inline.next();
                    return true;
                }
                if (readingHead) {
                    readingHead = false;
                    slots.pollFirst();
                }
                startSlots();
                Slot head = slots.peekFirst();
                if (head == null) {
                    return false;
                }
                List<C> next = head.queue.poll();
                if (next != null) {
                    chunk = next;
                    chunkIndex = 0;
                } else if (!head.done && workers.get() >= concurrency && pending.remove(head)) {
                    // every worker reads a slot that priority put before the head, and may wait for room until the
                    // head is consumed: the caller reads the head itself
                    inline = children.apply(head.parent);
                    readingHead = true;
                } else if (!head.done) {
                    awaitProgress(head);
                } else if (head.queue.isEmpty()) {
                    // done is set after the last chunk was queued: an empty queue now means nothing more comes
                    if (head.failure != null) {
                        close();
                        throw head.failure;
                    }
                    slots.pollFirst();
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Waits until the head slot has records or is done. Slots wake the caller only while it waits here; the timeout
     * is a safety net, not the signal.
     */
    private void awaitProgress(Slot head) {
        waiting = Thread.currentThread();
        try {
            if (head.queue.isEmpty() && !head.done && !closed) {
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
        return !parentsDone && !parentsFailed && slots.size() < HELD_PER_WORKER * concurrency;
    }

    private void wakeCaller() {
        Thread caller = waiting;
        if (caller != null) {
            LockSupport.unpark(caller);
        }
    }

    /** Holds up to {@link #HELD_PER_WORKER} × the concurrency parents; a failure to read them queues up behind. */
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
                Slot failed = new Slot(null, 0, created++);
                failed.fail(e);
                slots.addLast(failed);
                return;
            }
            Slot slot = new Slot(parent, priority.applyAsInt(parent), created++);
            slots.addLast(slot);
            pending.add(slot);
            startWorkers();
        }
    }

    /** Starts a worker for each waiting slot, up to the concurrency. */
    private void startWorkers() {
        while (!pending.isEmpty()) {
            int running = workers.get();
            if (running >= concurrency) {
                return;
            }
            if (workers.compareAndSet(running, running + 1)) {
                try {
                    executor.execute(this::work);
                } catch (RuntimeException e) {
                    // no thread to read them: the caller meets the failure at the first of them
                    workers.decrementAndGet();
                    for (Slot slot; (slot = pending.poll()) != null;) {
                        slot.fail(e);
                    }
                    return;
                }
            }
        }
    }

    /** Reads waiting slots one after another until none is left. */
    private void work() {
        try {
            for (Slot slot; !closed && (slot = pending.poll()) != null;) {
                slot.run();
            }
        } finally {
            workers.decrementAndGet();
        }
        // a slot queued after the last poll but before the decrement would otherwise wait for nobody
        if (!closed && !pending.isEmpty()) {
            startWorkers();
        }
    }

    @Override
    public void close() {
        closed = true;
        slots.clear();
        pending.clear();
        chunk = List.of();
        if (parents instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing inner fan-outs does not fail
            }
        }
    }

    private final class Slot implements Comparable<Slot> {
        private final P parent;
        private final int priority;
        private final long order;
        /** Chunks of records; one waits while the next is read. */
        private final BlockingQueue<List<C>> queue = new LinkedBlockingQueue<>(1);
        /** Set after the last chunk was queued. */
        private volatile boolean done;
        private volatile RuntimeException failure;

        Slot(P parent, int priority, long order) {
            this.parent = parent;
            this.priority = priority;
            this.order = order;
        }

        @Override
        public int compareTo(Slot o) {
            return priority != o.priority ? Integer.compare(o.priority, priority) : Long.compare(order, o.order);
        }

        void run() {
            try {
                Iterator<C> it = children.apply(parent);
                List<C> records = new ArrayList<>();
                while (!closed && it.hasNext()) {
                    records.add(it.next());
                    boolean more = it instanceof Buffered b && b.hasBuffered();
                    if (records.size() >= buffer || !more) {
                        if (!handOver(records)) {
                            return;
                        }
                        records = new ArrayList<>();
                    }
                }
                // an iterator that said "buffered" at its last record still hands that chunk over
                if (!records.isEmpty() && !handOver(records)) {
                    return;
                }
                done = true;
            } catch (RuntimeException e) {
                failure = e;
                done = true;
            }
            wakeCaller();
        }

        void fail(RuntimeException e) {
            failure = e;
            done = true;
            wakeCaller();
        }

        /** Queues a chunk; false when the fan-out was closed or the worker interrupted (then the slot failed). */
        private boolean handOver(List<C> records) {
            if (put(records)) {
                return true;
            }
            if (!closed) {
                fail(new WecomApiException("fan-out", WecomApiException.NO_ERRCODE, "interrupted", false, null));
            }
            return false;
        }

        /** Waits for room, giving up when the fan-out was closed. */
        private boolean put(List<C> records) {
            try {
                while (!closed) {
                    if (queue.offer(records, 100, TimeUnit.MILLISECONDS)) {
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
