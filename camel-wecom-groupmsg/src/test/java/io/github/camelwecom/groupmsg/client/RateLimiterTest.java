package io.github.camelwecom.groupmsg.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The limiter on a clock the test moves: what it lets through depends on when requests were answered. */
class RateLimiterTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000_000 * MS);

    @Test
    void aRequestAnsweredLateHoldsItsPermitForASecondAfterItsAnswer() {
        RateLimiter limiter = new RateLimiter(2, now::get);
        assertThat(limiter.reserve()).isEqualTo(RateLimiter.GRANTED);
        assertThat(limiter.reserve()).isEqualTo(RateLimiter.GRANTED);
        assertThat(limiter.reserve()).as("both permits in flight").isEqualTo(RateLimiter.UNTIL_RELEASE);

        // the first request's thread was delayed: it reached the server only now, 300 ms after it was let through
        now.addAndGet(300 * MS);
        limiter.release();
        now.addAndGet(10 * MS);
        limiter.release();

        // a second after the requests were let through, but not after their answers: the server would count three
        now.addAndGet(690 * MS);
        assertThat(limiter.reserve()).as("wait until a second after the first answer").isEqualTo(300 * MS);
        now.addAndGet(300 * MS);
        assertThat(limiter.reserve()).isEqualTo(RateLimiter.GRANTED);
        assertThat(limiter.reserve()).isEqualTo(10 * MS);
        now.addAndGet(10 * MS);
        assertThat(limiter.reserve()).isEqualTo(RateLimiter.GRANTED);
    }

    @Test
    void belowOneRequestPerSecondOneRequestPerPeriod() {
        RateLimiter limiter = new RateLimiter(0.5, now::get);
        assertThat(limiter.reserve()).isEqualTo(RateLimiter.GRANTED);
        limiter.release();
        now.addAndGet(1_000 * MS);
        assertThat(limiter.reserve()).isEqualTo(1_000 * MS);
        now.addAndGet(1_000 * MS);
        assertThat(limiter.reserve()).isEqualTo(RateLimiter.GRANTED);
    }

    @Test
    void fractionsAboveOneAreRoundedDown() {
        RateLimiter limiter = new RateLimiter(2.9, now::get);
        assertThat(limiter.reserve()).isEqualTo(RateLimiter.GRANTED);
        assertThat(limiter.reserve()).isEqualTo(RateLimiter.GRANTED);
        assertThat(limiter.reserve()).isEqualTo(RateLimiter.UNTIL_RELEASE);
    }

    @Test
    void acquireWaitsForTheAnswerWhenEveryPermitIsInFlight() {
        RateLimiter limiter = new RateLimiter(1);
        limiter.acquire();
        Thread waiter = new Thread(limiter::acquire);
        waiter.start();
        // no permit while the only one is in flight
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(waiter::isAlive);
        limiter.release();
        // let through a second after the answer
        await().atMost(Duration.ofSeconds(10)).until(() -> !waiter.isAlive());
    }
}
