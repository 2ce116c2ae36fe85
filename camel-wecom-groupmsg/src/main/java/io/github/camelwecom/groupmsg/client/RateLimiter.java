package io.github.camelwecom.groupmsg.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces calls evenly so that no more than {@code permitsPerSecond} start in any second; 0 means no limit.
 */
public final class RateLimiter {

    private final long intervalNanos;
    private long nextFreeNanos;

    public RateLimiter(double permitsPerSecond) {
        this.intervalNanos = permitsPerSecond <= 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / permitsPerSecond);
        this.nextFreeNanos = System.nanoTime();
    }

    public void acquire() {
        if (intervalNanos == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextFreeNanos);
            nextFreeNanos = slot + intervalNanos;
            wait = slot - now;
        }
        while (wait > 0) {
            long until = System.nanoTime() + wait;
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new WecomApiException("throttle", WecomApiException.NO_ERRCODE, "interrupted while throttled",
                        false, null);
            }
            wait = until - System.nanoTime();
        }
    }
}
