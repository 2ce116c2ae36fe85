package io.github.camelwecom.groupmsg.client;

import java.time.Duration;

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
}
