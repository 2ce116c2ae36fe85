package io.github.camelwecom.groupmsg.client;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * At most {@code max} requests in any period (one second, or 1/rate seconds below one request per second) as the server
 * counts them, however long a thread takes between being let through and sending. A request counts from the moment it
 * is let through until one period after its answer: the server received it somewhere in between, so no period-long span
 * at the server can hold more than {@code max}. Spacing starts instead would not hold: a thread delayed after its start
 * time sends together with the threads let through after it. Rates above one per second are rounded down to whole
 * requests; 0 means no limit.
 */
final class RateLimiter {

    /** Granted at once; {@link #reserve()} returns it. */
    static final long GRANTED = 0;
    /** Every permit is held by a request still in flight: wait for an answer. */
    static final long UNTIL_RELEASE = Long.MAX_VALUE;

    private final int max;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    /** When each answered request of the last period came back, oldest first. */
    private final ArrayDeque<Long> answered = new ArrayDeque<>();
    private int inFlight;

    RateLimiter(double permitsPerSecond) {
        this(permitsPerSecond, System::nanoTime);
    }

    RateLimiter(double permitsPerSecond, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        if (permitsPerSecond <= 0) {
            max = 0;
            periodNanos = 0;
        } else if (permitsPerSecond >= 1) {
            max = (int) Math.min(Integer.MAX_VALUE, Math.floor(permitsPerSecond));
            periodNanos = TimeUnit.SECONDS.toNanos(1);
        } else {
            max = 1;
            periodNanos = (long) (TimeUnit.SECONDS.toNanos(1) / permitsPerSecond);
        }
    }

    /** Waits until a request may go out; every return must be followed by {@link #release()} once it is answered. */
    void acquire() {
        if (max == 0) {
            return;
        }
        lock.lock();
        try {
            for (long wait = reserve(); wait != GRANTED; wait = reserve()) {
                if (wait == UNTIL_RELEASE) {
                    released.await();
                } else {
                    released.awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WecomApiException("throttle", WecomApiException.Kind.INTERRUPTED, "interrupted while throttled",
                    false);
        } finally {
            lock.unlock();
        }
    }

    /** The request let through by {@link #acquire()} was answered (or failed): it counts for one more period. */
    void release() {
        if (max == 0) {
            return;
        }
        lock.lock();
        try {
            inFlight--;
            answered.addLast(nanoTime.getAsLong());
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes a permit if one is free now; otherwise how long to wait before asking again. */
    long reserve() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            while (!answered.isEmpty() && now - answered.peekFirst() >= periodNanos) {
                answered.pollFirst();
            }
            if (inFlight + answered.size() < max) {
                inFlight++;
                return GRANTED;
            }
            return answered.isEmpty() ? UNTIL_RELEASE : answered.peekFirst() + periodNanos - now;
        } finally {
            lock.unlock();
        }
    }
}
