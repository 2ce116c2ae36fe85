package io.github.camelwecom.groupmsg.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.camelwecom.groupmsg.client.CallBudget.Priority;
import io.github.camelwecom.groupmsg.client.CallBudget.Ticket;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.client.CallBudgetTest.T0;
import static io.github.camelwecom.groupmsg.client.CallBudgetTest.granted;
import static io.github.camelwecom.groupmsg.client.CallBudgetTest.limits;
import static io.github.camelwecom.groupmsg.client.CallBudgetTest.request;
import static io.github.camelwecom.groupmsg.client.GroupMsgApi.LIST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who goes first once the budget binds: FRESH before BACKFILL, corps in turn, each corp's calls in order; how a caller
 * waits (on a clock the waiter moves) and stops waiting when interrupted.
 */
class CallBudgetQueueTest {

    private final MovableClock clock = new MovableClock(T0.getEpochSecond());

    /** The IP's minute spent by ten calls of another corp: whatever waits next goes when the minute has passed. */
    private CallBudget spentBudget(int ipPerMinute) {
        CallBudget budget = new CallBudget(limits().withIpLimits(ipPerMinute, 100_000), clock);
        assertThat(granted(request(budget, "corp-z", LIST, Priority.FRESH, ipPerMinute))).isEqualTo(ipPerMinute);
        return budget;
    }

    private void nextMinute(CallBudget budget) {
        clock.advance(Duration.ofMinutes(1));
        budget.dispatchAll();
    }

    @Test
    void freshGoesBeforeBackfillThatWaitedLonger() {
        CallBudget budget = spentBudget(2);
        List<Ticket> backfill = request(budget, "corp-a", LIST, Priority.BACKFILL, 2);
        Ticket fresh = budget.request("corp-b", LIST, Priority.FRESH);

        nextMinute(budget);

        assertThat(fresh.granted).isNotZero().isLessThan(backfill.get(0).granted);
        assertThat(backfill.get(1).granted).as("the minute's second call went to FRESH").isZero();
    }

    @Test
    void corpsTakeTurnsSoOneWithManyCallsWaitingCannotStarveTheOthers() {
        CallBudget budget = spentBudget(10);
        List<Ticket> big = request(budget, "corp-big", LIST, Priority.BACKFILL, 100);
        List<Ticket> small = new ArrayList<>();
        for (int corp = 1; corp <= 9; corp++) {
            small.add(budget.request("corp-" + corp, LIST, Priority.BACKFILL));
        }

        nextMinute(budget);

        assertThat(small).allSatisfy(t -> assertThat(t.granted).isNotZero());
        long firstGrant = big.get(0).granted;
        assertThat(small).allSatisfy(t -> assertThat(t.granted).isLessThan(firstGrant + 10));
        assertThat(granted(big)).isEqualTo(1);
        for (int minute = 0; minute < 10; minute++) {
            nextMinute(budget);
        }
        assertThat(big).as("one corp's calls in their order")
                .isSortedAccordingTo(Comparator.comparingLong(t -> t.granted));
        assertThat(granted(big)).isEqualTo(100);
    }

    @Test
    void aCorpOverItsOwnLimitIsPassedOverNotWaitedFor() {
        CallBudget budget = new CallBudget(limits().withCorpLimits(1, 100).withIpLimits(3, 100), clock);
        assertThat(granted(request(budget, "corp-a", LIST, Priority.FRESH, 1))).isEqualTo(1);
        Ticket heldByItsCorp = budget.request("corp-a", LIST, Priority.FRESH);
        Ticket other = budget.request("corp-b", LIST, Priority.BACKFILL);

        assertThat(heldByItsCorp.granted).isZero();
        assertThat(other.granted).isNotZero();
    }

    @Test
    void aWaitingCallerWaitsUntilTheWindowSlidesOnTheClockItsWaiterMoves() {
        List<Long> waits = new ArrayList<>();
        CallBudget budget = new CallBudget(limits().withCorpLimits(2, 100), clock, (changed, millis) -> {
            waits.add(millis);
            clock.advance(Duration.ofMillis(millis));
        });
        clock.advance(Duration.ofMillis(400));
        budget.acquire("corp-a", LIST, Priority.FRESH);
        clock.advance(Duration.ofSeconds(10));
        budget.acquire("corp-a", LIST, Priority.FRESH);

        budget.acquire("corp-a", LIST, Priority.FRESH);

        assertThat(waits).as("until the first call's second leaves the minute").containsExactly(49_600L);
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(60));
        assertThat(budget.statistics("corp-a", LIST).waited()).isEqualTo(Duration.ofMillis(49_600));
    }

    @Test
    void anInterruptEndsTheWaitAndTakesTheCallOutOfTheQueue() throws Exception {
        CallBudget budget = new CallBudget(limits().withCorpLimits(1, 100), clock);
        budget.acquire("corp-a", LIST, Priority.FRESH);
        Thread waiting = new Thread(() -> budget.acquire("corp-a", LIST, Priority.FRESH));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        waiting.setUncaughtExceptionHandler((t, e) -> failure.complete(e));

        waiting.start();
        while (budget.statistics("corp-a", LIST).waiting() == 0) {
            Thread.onSpinWait(); // the clock stands still: it waits until interrupted
        }
        waiting.interrupt();
        waiting.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(failure).isCompletedWithValueMatching(e -> e instanceof WecomApiException w
                && w.getKind() == WecomApiException.Kind.INTERRUPTED);
        assertThat(budget.statistics("corp-a", LIST).waiting()).isZero();
        assertThat(budget.ipStatistics(LIST).waiting()).isZero();
    }
}
