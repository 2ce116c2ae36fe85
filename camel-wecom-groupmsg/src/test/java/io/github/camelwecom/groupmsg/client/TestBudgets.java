package io.github.camelwecom.groupmsg.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.camelwecom.groupmsg.simulator.MovableClock;

/**
 * Call budgets for tests outside this package: their clock moves by as much as a call would wait, so that a 45009's
 * pause or a full minute ends at once instead of after a real minute.
 */
public final class TestBudgets {

    private TestBudgets() {
    }

    /** A budget of {@code limits} on {@code clock} that moves the clock instead of waiting. */
    public static CallBudget movedByWaits(CallBudget.Limits limits, MovableClock clock) {
        return new CallBudget(limits, clock, (changed, millis) -> clock.advance(Duration.ofMillis(millis)));
    }

    /**
     * A budget of {@code limits} on {@code clock} whose calls wait at most 10 ms at a time for real: a test moves the
     * clock, and waiting calls see it soon after.
     */
    public static CallBudget waitingBriefly(CallBudget.Limits limits, MovableClock clock) {
        return new CallBudget(limits, clock, (changed, millis) -> changed.await(Math.min(millis, 10),
                TimeUnit.MILLISECONDS));
    }
}
