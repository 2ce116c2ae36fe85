package io.github.camelwecom.groupmsg.client;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.github.camelwecom.groupmsg.client.CallBudget.Pause;
import io.github.camelwecom.groupmsg.client.CallBudget.Priority;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.Fault;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.client.CallBudgetTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP against the simulator: a client's calls wait for its factory's budget, and a 45009 pauses the corp's
 * API for the factory's other clients too before the retry goes out. The budget's clock is moved by its waiter.
 */
class CallBudgetClientTest {

    private static final long SEPTEMBER = LocalDate.parse("2025-09-01").atStartOfDay(ZoneId.of("Asia/Shanghai"))
            .toEpochSecond();

    private final WecomSimulator simulator = WecomSimulator.builder().port(0)
            .dataSet(DataSet.generate(DataSetSpec.small())).build().start();
    private final MovableClock clock = new MovableClock(T0.getEpochSecond());
    private final List<Long> waits = new ArrayList<>();
    private final CallBudget budget = new CallBudget(CallBudget.Limits.DEFAULT.withShare(1).withCorpLimits(2, 100),
            clock, (changed, millis) -> {
                waits.add(millis);
                clock.advance(Duration.ofMillis(millis));
            });
    private final WecomClientFactory factory = new WecomClientFactory(Clock.systemUTC(), budget);

    @AfterEach
    void stop() throws Exception {
        factory.close();
        simulator.close();
    }

    private WecomClient client() {
        return factory.create(new ClientSettings(simulator.baseUrl(),
                ClientSettings.Credentials.ofSecret(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET),
                new ClientSettings.Retries(2, Duration.ofMillis(10), Duration.ofMillis(50)),
                ClientSettings.Timeouts.DEFAULT, 0, 4), null);
    }

    private static Page<?> firstPage(WecomClient client) {
        return client.listPage(new ListQuery(ChatType.SINGLE, null, 2), 100, SEPTEMBER, SEPTEMBER + 86_400, null);
    }

    @Test
    void aClientsCallsWaitForTheBudgetItsFactoryShares() {
        WecomClient first = client();
        WecomClient backfill = client().withPriority(Priority.BACKFILL);
        clock.advance(Duration.ofSeconds(5));
        firstPage(first);
        clock.advance(Duration.ofSeconds(10));
        firstPage(backfill);

        firstPage(first);

        assertThat(waits).as("the corp's 2 calls a minute: until the first leaves it").containsExactly(50_000L);
        assertThat(simulator.counters().calls(Api.LIST)).isEqualTo(3);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).as("gettoken is not counted").isEqualTo(1);
        CallBudget.Statistics stats = budget.statistics(WecomSimulator.DEFAULT_CORP_ID, GroupMsgApi.LIST);
        assertThat(stats.granted()).isEqualTo(3);
        assertThat(stats.waited()).isEqualTo(Duration.ofSeconds(50));
        assertThat(backfill.priority()).isEqualTo(Priority.BACKFILL);
        assertThat(first.priority()).isEqualTo(Priority.FRESH);
    }

    @Test
    void a45009PausesTheCorpsApiForEveryClientThenTheRetryGoes() {
        List<Pause> said = new ArrayList<>();
        budget.setPauseListener(said::add);
        clock.advance(Duration.ofSeconds(20));
        simulator.faults().failNext(Api.LIST, Fault.FREQ_LIMIT, 1);

        assertThat(firstPage(client())).as("answered after the pause").isNotNull();

        assertThat(said).containsExactly(new Pause(WecomSimulator.DEFAULT_CORP_ID, GroupMsgApi.LIST,
                T0.plusSeconds(60)));
        assertThat(waits).as("the retry waited for the minute's end").containsExactly(40_000L);
        assertThat(simulator.counters().calls(Api.LIST)).isEqualTo(2);
        CallBudget.Statistics stats = budget.statistics(WecomSimulator.DEFAULT_CORP_ID, GroupMsgApi.LIST);
        assertThat(stats.refused()).isEqualTo(1);
        assertThat(stats.pauses()).isEqualTo(1);
        assertThat(stats.granted()).isEqualTo(2);
    }
}
