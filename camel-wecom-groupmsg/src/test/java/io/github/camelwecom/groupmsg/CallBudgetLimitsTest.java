package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.github.camelwecom.groupmsg.client.CallBudget;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.TestBudgets;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.CallLimits;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a simulator that refuses like WeCom (its call limits scaled down, on a clock the test shares with the
 * component's budget): two consumers of one corp (list and result) and a producer share the component's call budget and
 * are never refused with 45009; without the budget the same work is.
 */
class CallBudgetLimitsTest extends SimulatorTestSupport {

    /** WeCom's limits a thousand times smaller: 10 calls per corp and API a minute, 150 an hour. */
    private static final CallLimits LIMITS = CallLimits.wecom().scaled(0.001);

    private final MovableClock clock = new MovableClock(System.currentTimeMillis() / 1000);
    private final WecomSimulator limited = WecomSimulator.builder().port(0).dataSet(DATA)
            .credentials(CORP_ID, CORP_SECRET).callLimits(LIMITS).limitClock(clock).build().start();

    @AfterEach
    void stopLimited() {
        limited.close();
    }

    private String limitedUri(String api, String options) {
        return uri(api, options).replace(simulator.baseUrl(), limited.baseUrl());
    }

    /**
     * The component's budget from its options, with the simulator's limits, on the simulator's clock. Its share leaves
     * room for the calls in flight (2 per endpoint) when a waiting call moves the clock: granted in one minute, they
     * may reach the simulator in the next.
     */
    private CallBudget budgetOfTheSimulatorsLimits() {
        WecomGroupMsgComponent component = context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class);
        component.setCallBudgetShare(0.3);
        component.setCallLimitCorpPerMinute((int) LIMITS.corpPerMinute());
        component.setCallLimitCorpPerHour((int) LIMITS.corpPerHour());
        component.setCallLimitIpPerMinute((int) LIMITS.ipPerMinute());
        component.setCallLimitIpPerHour((int) LIMITS.ipPerHour());
        CallBudget budget = TestBudgets.movedByWaits(CallBudgets.limits(component), clock);
        component.setCallBudget(budget);
        return budget;
    }

    @Test
    void twoConsumersAndAProducerOfOneCorpShareTheBudgetAndAreNeverRefused() throws Exception {
        CallBudget budget = budgetOfTheSimulatorsLimits();
        Collector list = new Collector();
        Collector results = new Collector();
        context.addRoutes(routes(list, results));

        List<Object> produced = produceList();

        WecomGroupMsgConsumer listConsumer = (WecomGroupMsgConsumer) context.getRoute("list").getConsumer();
        WecomGroupMsgConsumer resultConsumer = (WecomGroupMsgConsumer) context.getRoute("result").getConsumer();
        await(Duration.ofSeconds(60), () -> listConsumer.isFinished() && resultConsumer.isFinished(),
                () -> "not finished: " + list.size() + " messages, " + results.size() + " results");
        ExportAssertions.assertExactly(list.bodies, truth("list", "single"));
        ExportAssertions.assertExactly(results.bodies, truth("result", "single"));
        assertThat(produced).hasSize(list.size());
        assertThat(limited.counters().limitRefusals().total()).as("45009 answers").isZero();
        CallBudget.Statistics listCalls = budget.statistics(CORP_ID, GroupMsgApi.LIST);
        assertThat(listCalls.granted()).as("consumer and producer in one budget")
                .isEqualTo(limited.counters().calls(Api.LIST));
        assertThat(listCalls.waited()).as("the budget made calls wait").isPositive();
    }

    @Test
    void withoutTheBudgetTheSameWorkIsRefused() throws Exception {
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setCallBudgetEnabled(false);
        context.addRoutes(routes(new Collector(), new Collector()));

        await(Duration.ofSeconds(60), () -> limited.counters().limitRefusals().total() > 0,
                () -> "never refused: " + limited.counters().limitRefusals());
    }

    private RouteBuilder routes(Collector list, Collector results) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(limitedUri("list", RANGE + "&concurrency=2")).routeId("list").process(list::add);
                from(limitedUri("result", RANGE + "&limit=50&concurrency=2")).routeId("result").process(results::add);
            }
        };
    }

    private List<Object> produceList() {
        Iterator<?> records = template.requestBody(limitedUri("list", RANGE + "&concurrency=2"), null, Iterator.class);
        List<Object> all = new ArrayList<>();
        records.forEachRemaining(all::add);
        return all;
    }
}
