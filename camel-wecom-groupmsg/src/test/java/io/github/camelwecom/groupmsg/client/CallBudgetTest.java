package io.github.camelwecom.groupmsg.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.camelwecom.groupmsg.client.CallBudget.Limits;
import io.github.camelwecom.groupmsg.client.CallBudget.Priority;
import io.github.camelwecom.groupmsg.client.CallBudget.Ticket;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.client.GroupMsgApi.LIST;
import static io.github.camelwecom.groupmsg.client.GroupMsgApi.RESULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The budget's limits on a clock the test moves: per corp and API, per IP and API, over the last minute and hour; share
 * and replicas; a key's memory whatever it counted. The queue's order is {@link CallBudgetQueueTest}'s.
 */
class CallBudgetTest {

    /** A whole minute: the first call's second bucket is the minute's first. */
    static final Instant T0 = Instant.parse("2025-10-01T00:00:00Z");

    final MovableClock clock = new MovableClock(T0.getEpochSecond());

    /** Limits that bind only where a test sets them: share 1, WeCom's numbers otherwise. */
    static Limits limits() {
        return Limits.DEFAULT.withShare(1);
    }

    CallBudget budget(Limits limits) {
        return new CallBudget(limits, clock);
    }

    static List<Ticket> request(CallBudget budget, String corp, GroupMsgApi api, Priority priority, int calls) {
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            tickets.add(budget.request(corp, api, priority));
        }
        return tickets;
    }

    static long granted(List<Ticket> tickets) {
        return tickets.stream().filter(t -> t.granted != 0).count();
    }

    @Test
    void corpMinuteLimitHoldsCallsUntilTheWindowSlides() {
        CallBudget budget = budget(limits().withCorpLimits(10, 1_000));
        clock.advance(Duration.ofMillis(900));
        assertThat(granted(request(budget, "corp-a", LIST, Priority.FRESH, 10))).isEqualTo(10);
        clock.advance(Duration.ofSeconds(30));
        List<Ticket> held = request(budget, "corp-a", LIST, Priority.FRESH, 3);

        assertThat(granted(held)).isZero();
        assertThat(budget.request("corp-a", RESULT, Priority.FRESH).granted).as("another API").isNotZero();
        assertThat(budget.request("corp-b", LIST, Priority.FRESH).granted).as("another corp").isNotZero();
        clock.advance(Duration.ofMillis(29_099)); // 59.999 s: the first second is still in the window
        budget.dispatchAll();
        assertThat(granted(held)).isZero();
        clock.advance(Duration.ofMillis(1));
        budget.dispatchAll();
        assertThat(granted(held)).isEqualTo(3);
    }

    @Test
    void hourLimitHoldsCallsUntilItsOldestMinuteLeaves() {
        CallBudget budget = budget(limits().withCorpLimits(10, 20));
        assertThat(granted(request(budget, "corp-a", LIST, Priority.FRESH, 10))).isEqualTo(10);
        clock.advance(Duration.ofMinutes(1));
        assertThat(granted(request(budget, "corp-a", LIST, Priority.FRESH, 10))).isEqualTo(10);
        clock.advance(Duration.ofMinutes(1));
        List<Ticket> held = request(budget, "corp-a", LIST, Priority.FRESH, 10);

        assertThat(granted(held)).as("the minute is free, the hour is not").isZero();
        clock.advance(Duration.ofMinutes(57).plusSeconds(59));
        budget.dispatchAll();
        assertThat(granted(held)).isZero();
        clock.advance(Duration.ofSeconds(1)); // 60 minutes after the first ten
        budget.dispatchAll();
        assertThat(granted(held)).isEqualTo(10);
    }

    @Test
    void ipLimitHoldsEveryCorpsCallsToThatApi() {
        CallBudget budget = budget(limits().withIpLimits(10, 1_000));
        for (int corp = 0; corp < 10; corp++) {
            assertThat(budget.request("corp-" + corp, LIST, Priority.FRESH).granted).isNotZero();
        }
        Ticket eleventh = budget.request("corp-10", LIST, Priority.FRESH);

        assertThat(eleventh.granted).as("a corp with no call yet, over the IP's limit").isZero();
        assertThat(budget.request("corp-10", RESULT, Priority.FRESH).granted).as("another API").isNotZero();
        clock.advance(Duration.ofMinutes(1));
        budget.dispatchAll();
        assertThat(eleventh.granted).isNotZero();
    }

    @Test
    void replicasBehindOneIpShareItsLimitsAndMaySayHowManyTheyAreAtRuntime() {
        CallBudget budget = budget(limits().withIpLimits(20, 1_000));
        budget.setReplicas(4);
        List<Ticket> tickets = request(budget, "corp-a", LIST, Priority.FRESH, 10);
        assertThat(granted(tickets)).as("20 / 4").isEqualTo(5);

        budget.setReplicas(2);

        assertThat(granted(tickets)).as("20 / 2, the waiting ones let go").isEqualTo(10);
        assertThat(budget.ipStatistics(LIST).minuteUsed()).isEqualTo(1.0);
    }

    @Test
    void shareLeavesTheRestOfEachLimitToTheCorpsOtherApps() {
        CallBudget budget = budget(Limits.DEFAULT.withShare(0.1));

        assertThat(granted(request(budget, "corp-a", LIST, Priority.FRESH, 1_001))).as("10,000 x 0.1")
                .isEqualTo(1_000);
        assertThat(granted(request(budget, "corp-b", LIST, Priority.FRESH, 1_001))).as("the IP's 20,000 x 0.1")
                .isEqualTo(1_000);
        assertThat(budget.request("corp-c", LIST, Priority.FRESH).granted).isZero();
    }

    @Test
    void defaultsAreWecomsNumbersHalfTakenAndServiceProvidersIpsGetTwice() {
        assertThat(Limits.DEFAULT.effective(1)).isEqualTo(new CallBudget.Effective(5_000, 75_000, 10_000, 300_000));
        assertThat(Limits.SERVICE_PROVIDER.effective(2))
                .isEqualTo(new CallBudget.Effective(5_000, 75_000, 10_000, 300_000));
        assertThat(Limits.DEFAULT.effective(1_000_000).ipPerMinute()).as("never nothing").isEqualTo(1);
    }

    @Test
    void aWrongLimitIsNamed() {
        assertThatThrownBy(() -> Limits.DEFAULT.withShare(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid call budget share 1.5: allowed is more than 0 and at most 1");
        assertThatThrownBy(() -> Limits.DEFAULT.withShare(0)).hasMessageContaining("share 0.0");
        assertThatThrownBy(() -> Limits.DEFAULT.withIpLimits(20_000, 0))
                .hasMessage("Invalid call budget ipPerHour 0: allowed is a whole number of at least 1");
        assertThatThrownBy(() -> budget(limits()).setReplicas(0)).hasMessageContaining("replicas 0");
    }

    @Test
    void aKeysMemoryStaysTheSameWhateverItCounted() {
        CallBudget budget = budget(limits());
        BudgetKey key = budget.key("corp-a", LIST);
        int size = key.window.size();
        for (int minute = 0; minute < 5 * 60; minute++) { // five hours, 100 calls a minute
            assertThat(granted(request(budget, "corp-a", LIST, Priority.FRESH, 100))).isEqualTo(100);
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(key.window.size()).isEqualTo(size).isEqualTo(2 * BudgetWindow.BUCKETS);
        key.window.roll(clock.millis());
        assertThat(key.window.lastMinute()).as("the last minute's calls left at its end").isZero();
        assertThat(key.window.lastHour()).isEqualTo(59 * 100);
        assertThat(budget.statistics("corp-a", LIST).granted()).isEqualTo(30_000);
        assertThat(budget.corpIds()).containsExactly("corp-a");
        budget.statistics("corp-z", LIST);
        assertThat(budget.corpIds()).as("asking keeps nothing").containsExactly("corp-a");
    }
}
