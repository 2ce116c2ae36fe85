package io.github.camelwecom.groupmsg.export;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.camelwecom.groupmsg.client.CallBudget;
import io.github.camelwecom.groupmsg.client.CallBudget.Priority;
import io.github.camelwecom.groupmsg.client.ClientSettings;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.TestBudgets;
import io.github.camelwecom.groupmsg.client.WecomClient;
import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.export.EngineHarness.DAY;
import static io.github.camelwecom.groupmsg.export.EngineHarness.END;
import static io.github.camelwecom.groupmsg.export.EngineHarness.START;
import static io.github.camelwecom.groupmsg.export.EngineHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's passes take their place in the call budget: history (a bounded export, a following export's first pass)
 * as BACKFILL, a following export's later passes over recent time as FRESH; when the budget binds, one corp's FRESH
 * poll is served before another corp's BACKFILL that waited longer.
 */
class BudgetPriorityTest {

    private static final String FOLLOWER = "ww-follower";
    private static final String BACKFILLER = "ww-backfiller";

    private final WecomSimulator simulator = WecomSimulator.builder().port(0).dataSet(EngineHarness.DATA)
            .credentials(FOLLOWER, "secret-f").credentials(BACKFILLER, "secret-b").build().start();
    private final MovableClock clock = new MovableClock(1_800_000_000L);
    /** Waits for real but briefly, so that the test decides when the budget's time moves. */
    private final CallBudget budget = TestBudgets.waitingBriefly(CallBudget.Limits.DEFAULT.withShare(1), clock);
    private final WecomClientFactory factory = new WecomClientFactory(Clock.systemUTC(), budget);
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        factory.close();
        simulator.close();
    }

    private WecomClient client(String corpId, String secret) {
        return factory.create(new ClientSettings(simulator.baseUrl(),
                new ClientSettings.Credentials(corpId, secret, null),
                new ClientSettings.Retries(2, Duration.ofMillis(10), Duration.ofMillis(50)),
                ClientSettings.Timeouts.DEFAULT, 0, 4), null);
    }

    private FollowingExport export(String corpId, String secret, FollowingExport.Range range) {
        return new FollowingExport(client(corpId, secret), executor,
                new ExportSettings(spec(GroupMsgApi.LIST), 600, 0, true), range, null, ExportListener.NONE);
    }

    @Test
    void aFreshFollowPollOfOneCorpGoesBeforeAnotherCorpsBackfill() {
        FollowingExport follower = export(FOLLOWER, "secret-f", new FollowingExport.Range(END - DAY, null, true));
        EngineHarness.pass(follower, END);
        assertThat(follower.priority()).as("a following export's first pass reads history").isEqualTo(
                Priority.BACKFILL);
        FollowingExport backfill = export(BACKFILLER, "secret-b", new FollowingExport.Range(START, END, false));
        budget.setLimits(budget.limits().withIpLimits(1, 1_000)); // this minute is spent: everybody waits

        CompletableFuture<Void> history = CompletableFuture.runAsync(() -> EngineHarness.pass(backfill, END), executor);
        await().until(() -> budget.statistics(BACKFILLER, GroupMsgApi.LIST).waiting() > 0);
        CompletableFuture<Void> poll = CompletableFuture.runAsync(() -> EngineHarness.pass(follower, END + 60),
                executor);
        await().until(() -> budget.statistics(FOLLOWER, GroupMsgApi.LIST).waiting() == 1);
        assertThat(follower.priority()).as("a later pass over the lookback").isEqualTo(Priority.FRESH);
        assertThat(backfill.priority()).isEqualTo(Priority.BACKFILL);

        clock.advance(Duration.ofMinutes(1)); // room for one call

        await().until(poll::isDone);
        assertThat(budget.statistics(BACKFILLER, GroupMsgApi.LIST).granted()).as("the backfill still waits")
                .isZero();
        assertThat(history).isNotDone();
        clock.advance(Duration.ofMinutes(1));
        await().until(() -> budget.statistics(BACKFILLER, GroupMsgApi.LIST).granted() == 1);
    }
}
