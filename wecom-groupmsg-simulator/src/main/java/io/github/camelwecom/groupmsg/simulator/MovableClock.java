package io.github.camelwecom.groupmsg.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until it is moved: tests and benchmarks give it to the component (and move the simulator's
 * now along with {@link WecomSimulator#setNow}) to run follow mode and token lifetimes without waiting.
 */
public final class MovableClock extends Clock {

    private volatile Instant now;

    public MovableClock(long epochSecond) {
        this.now = Instant.ofEpochSecond(epochSecond);
    }

    public void set(long epochSecond) {
        now = Instant.ofEpochSecond(epochSecond);
    }

    public void advance(Duration amount) {
        now = now.plus(amount);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
