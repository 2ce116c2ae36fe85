package io.github.camelwecom.groupmsg.client;

import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which failures are worth repeating and how long to wait before each repeat (exponential, with jitter, capped).
 */
final class RetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final String target;
    private final int maxRetries;
    private final long retryDelayMillis;
    private final long maxRetryDelayMillis;
    /** Set at a failure to reach WeCom, cleared by the next answer: the WARN says once that it is unreachable. */
    private volatile boolean unreachable;

    /** @param target where the calls go (the base URL), for the log line that says WeCom cannot be reached */
    RetryPolicy(String target, ClientSettings.Retries retries) {
        this.target = target;
        this.maxRetries = retries.maxRetries();
        this.retryDelayMillis = retries.retryDelay().toMillis();
        this.maxRetryDelayMillis = retries.maxRetryDelay().toMillis();
    }

    static boolean isRetriableHttpStatus(int status) {
        return status == 429 || status >= 500;
    }

    /**
     * Whether a request that got no answer is worth sending again: a host name that does not resolve too, since a
     * resolver can fail for a while; the message then says plainly that it did not resolve.
     */
    static boolean isRetriable(WecomApiException.Kind kind) {
        return kind.isUnreachable();
    }

    /** Delay before retry number {@code retry} (1-based): retryDelay * 2^(retry-1), capped, with up to 20 % jitter. */
    long delayMillis(int retry) {
        long base = retryDelayMillis << Math.min(retry - 1, 20);
        long capped = Math.min(base < 0 ? Long.MAX_VALUE : base, maxRetryDelayMillis);
        long jitter = capped / 5 > 0 ? ThreadLocalRandom.current().nextLong(capped / 5 + 1) : 0;
        return Math.min(capped - capped / 10 + jitter, maxRetryDelayMillis);
    }

    /** A call that may fail with a {@link WecomApiException}. */
    @FunctionalInterface
    interface Call<T> {
        T execute();
    }

    /** Notified of each failure that is about to be retried (for metrics and logs). */
    @FunctionalInterface
    interface RetryListener {
        void onRetry(WecomApiException failure, int retry);
    }

    /**
     * Runs {@code call}, repeating it after retriable failures up to {@code maxRetries} times; the last failure is
     * thrown with the number of attempts in its message.
     */
    <T> T run(String api, Call<T> call, RetryListener listener) {
        for (int retry = 1;; retry++) {
            try {
                T result = call.execute();
                unreachable = false;
                return result;
            } catch (WecomApiException e) {
                if (e.isUnreachable() && e.isRetriable()) { // not a token call that gave up: that one said it
                    if (!unreachable) {
                        unreachable = true;
                        LOG.warn("Cannot reach WeCom at {} ({}: {}); each call is tried {} more times, {} ms to {} ms "
                                + "apart", target, e.getApi(), e.getErrmsg(), maxRetries, delayMillis(1),
                                maxRetryDelayMillis);
                    }
                } else {
                    unreachable = false;
                }
                if (!e.isRetriable()) {
                    throw e;
                }
                if (retry > maxRetries) {
                    throw e.gaveUp(retry);
                }
                if (listener != null) {
                    listener.onRetry(e, retry);
                }
                pause(e.getApi(), retry);
            }
        }
    }

    /** Sleeps before retry number {@code retry}; an interrupt ends the wait and is reported to the caller. */
    void pause(String api, int retry) {
        try {
            Thread.sleep(delayMillis(retry));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WecomApiException(api, WecomApiException.Kind.INTERRUPTED, "interrupted while waiting to retry",
                    false);
        }
    }
}
