package io.github.camelwecom.groupmsg.client;

import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * At most {@code permits} requests in flight; a freed permit goes to the waiting request of the highest priority,
 * the longest waiting among equals. An export's calls form chains (list → task → result pages): granting permits to
 * the calls with the longest chains still behind them first keeps every permit busy until the end, where first come
 * first served leaves a long chain started late to run alone.
 */
final class InFlightLimit {

    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
    private int available;
    private long arrivals;

    private static final class Waiter implements Comparable<Waiter> {
        final Thread thread = Thread.currentThread();
        final int priority;
        final long arrival;
        boolean granted;

        Waiter(int priority, long arrival) {
            this.priority = priority;
            this.arrival = arrival;
        }

        @Override
        public int compareTo(Waiter o) {
            return priority != o.priority ? Integer.compare(o.priority, priority) : Long.compare(arrival, o.arrival);
        }
    }

    InFlightLimit(int permits) {
        this.available = Math.max(1, permits);
    }

    /** Waits for a permit; a higher {@code priority} is served first. */
    void acquire(int priority) throws InterruptedException {
        Waiter me;
        synchronized (this) {
            if (available > 0 && waiters.isEmpty()) {
                available--;
                return;
            }
            me = new Waiter(priority, arrivals++);
            waiters.add(me);
        }
        while (true) {
            LockSupport.park(this);
            synchronized (this) {
                if (me.granted) {
                    return;
                }
                if (Thread.interrupted()) {
                    waiters.remove(me);
                    throw new InterruptedException();
                }
            }
        }
    }

    /** Hands the permit to the first waiter, if any. */
    void release() {
        Thread wake;
        synchronized (this) {
            Waiter next = waiters.poll();
            if (next == null) {
                available++;
                return;
            }
            next.granted = true;
            wake = next.thread;
        }
        LockSupport.unpark(wake);
    }
}
