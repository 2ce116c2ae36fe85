package io.github.camelwecom.groupmsg.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelwecom.groupmsg.client.CallBudget.Pause;
import io.github.camelwecom.groupmsg.client.CallBudget.Priority;
import io.github.camelwecom.groupmsg.client.CallBudget.Statistics;
import io.github.camelwecom.groupmsg.client.CallBudget.Ticket;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.client.CallBudgetTest.T0;
import static io.github.camelwecom.groupmsg.client.CallBudgetTest.granted;
import static io.github.camelwecom.groupmsg.client.CallBudgetTest.limits;
import static io.github.camelwecom.groupmsg.client.CallBudgetTest.request;
import static io.github.camelwecom.groupmsg.client.GroupMsgApi.LIST;
import static io.github.camelwecom.groupmsg.client.GroupMsgApi.TASK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 45009 pauses the corp's API for every caller until WeCom's block ends (the minute, or the hour when it comes again
 * right after), several corps' pause the IP's API, each pause said once; the statistics count what happened.
 */
class CallBudgetRefusalTest {

    private final MovableClock clock = new MovableClock(T0.getEpochSecond());
    private final List<Pause> said = new CopyOnWriteArrayList<>();

    private CallBudget budget(CallBudget.Limits limits) {
        CallBudget budget = new CallBudget(limits, clock);
        budget.setPauseListener(said::add);
        return budget;
    }

    private void advance(CallBudget budget, Duration by) {
        clock.advance(by);
        budget.dispatchAll();
    }

    @Test
    void a45009PausesTheCorpsApiForEveryCallerUntilTheMinuteEndsSaidOnce() {
        CallBudget budget = budget(limits());
        clock.advance(Duration.ofSeconds(20));
        budget.refused("corp-a", LIST);
        budget.refused("corp-a", LIST); // another client's call, sent before the pause

        Ticket held = budget.request("corp-a", LIST, Priority.FRESH);
        assertThat(said).containsExactly(new Pause("corp-a", LIST, T0.plusSeconds(60)));
        assertThat(held.granted).isZero();
        assertThat(budget.request("corp-a", TASK, Priority.FRESH).granted).as("another API").isNotZero();
        assertThat(budget.request("corp-b", LIST, Priority.FRESH).granted).as("another corp").isNotZero();
        advance(budget, Duration.ofMillis(39_999));
        assertThat(held.granted).isZero();
        advance(budget, Duration.ofMillis(1));
        assertThat(held.granted).isNotZero();
    }

    @Test
    void a45009RightAfterThePausePausesUntilTheHourEnds() {
        CallBudget budget = budget(limits());
        clock.advance(Duration.ofMinutes(10));
        budget.refused("corp-a", LIST);
        advance(budget, Duration.ofSeconds(61)); // the retry after the pause
        budget.refused("corp-a", LIST);

        assertThat(said).extracting(Pause::until).containsExactly(T0.plusSeconds(11 * 60), T0.plusSeconds(3_600));
        clock.advance(Duration.ofMinutes(50)); // 61 s after the hour's pause ended
        budget.refused("corp-a", LIST);
        assertThat(said).as("long after: a minute again").hasSize(3).last().extracting(Pause::until)
                .isEqualTo(T0.plusSeconds(3_600 + 120));
    }

    @Test
    void severalCorps45009WithinAMinutePauseTheIpsApi() {
        CallBudget budget = budget(limits().withCorpsToPauseIp(3));
        budget.refused("corp-a", LIST);
        clock.advance(Duration.ofSeconds(50));
        budget.refused("corp-b", LIST);
        budget.refused("corp-b", LIST);
        assertThat(budget.request("corp-d", LIST, Priority.FRESH).granted).as("two corps: theirs only").isNotZero();
        clock.advance(Duration.ofSeconds(5));
        budget.refused("corp-c", LIST);

        assertThat(said).containsExactly(new Pause("corp-a", LIST, T0.plusSeconds(60)),
                new Pause("corp-b", LIST, T0.plusSeconds(60)), new Pause("corp-c", LIST, T0.plusSeconds(60)),
                new Pause(null, LIST, T0.plusSeconds(60)));
        Ticket held = budget.request("corp-d", LIST, Priority.FRESH);
        assertThat(held.granted).isZero();
        assertThat(budget.request("corp-d", TASK, Priority.FRESH).granted).as("another API").isNotZero();
        advance(budget, Duration.ofSeconds(5));
        assertThat(held.granted).isNotZero();
    }

    @Test
    void corps45009MinutesApartPauseOnlyThemselves() {
        CallBudget budget = budget(limits().withCorpsToPauseIp(2));
        budget.refused("corp-a", LIST);
        clock.advance(Duration.ofSeconds(60));
        budget.refused("corp-b", LIST);

        assertThat(said).extracting(Pause::corpId).containsExactly("corp-a", "corp-b");
    }

    @Test
    void statisticsCountWhatHappened() {
        CallBudget budget = budget(limits().withCorpLimits(4, 40));
        request(budget, "corp-a", LIST, Priority.FRESH, 4);
        List<Ticket> held = request(budget, "corp-a", LIST, Priority.BACKFILL, 3);
        clock.advance(Duration.ofSeconds(30));
        budget.refused("corp-a", LIST);
        Statistics midway = budget.statistics("corp-a", LIST);
        assertThat(midway).isEqualTo(new Statistics(4, 3, Duration.ZERO, 1, 1, 1.0, 0.1, T0.plusSeconds(60)));

        advance(budget, Duration.ofSeconds(30));

        assertThat(granted(held)).isEqualTo(3);
        assertThat(budget.statistics("corp-a", LIST))
                .isEqualTo(new Statistics(7, 0, Duration.ofSeconds(3 * 60), 1, 1, 0.75, 0.175, null));
        assertThat(budget.ipStatistics(LIST).granted()).isEqualTo(7);
        assertThat(budget.ipStatistics(LIST).refused()).isEqualTo(1);
        assertThat(budget.ipStatistics(LIST).pauses()).isZero();
    }
}
