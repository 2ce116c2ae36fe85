package io.github.camelwecom.groupmsg;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.camelwecom.groupmsg.client.CallBudget;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The component's call budget options: they make the budget its endpoints share, a wrong one fails the route naming it,
 * the budget can be turned off, and a 45009 is said once, by the component's logger, without secret or token.
 */
class CallBudgetComponentTest extends SimulatorTestSupport {

    private WecomGroupMsgComponent component() {
        return context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class);
    }

    static Stream<Arguments> wrongOptions() {
        return Stream.of(
                Arguments.of("callBudgetShare", (Consumer<WecomGroupMsgComponent>) c -> c.setCallBudgetShare(0),
                        "more than 0 and at most 1"),
                Arguments.of("callBudgetShare", (Consumer<WecomGroupMsgComponent>) c -> c.setCallBudgetShare(1.5),
                        "more than 0 and at most 1"),
                Arguments.of("callLimits", (Consumer<WecomGroupMsgComponent>) c -> c.setCallLimits("isv"),
                        "wecom or serviceProvider"),
                Arguments.of("callLimitCorpPerMinute",
                        (Consumer<WecomGroupMsgComponent>) c -> c.setCallLimitCorpPerMinute(-1), "at least 1"),
                Arguments.of("callLimitIpPerHour",
                        (Consumer<WecomGroupMsgComponent>) c -> c.setCallLimitIpPerHour(-5), "at least 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongOptions")
    void aWrongBudgetOptionFailsTheRouteNamingIt(String option, Consumer<WecomGroupMsgComponent> set,
            String allowed) {
        set.accept(component());

        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("wrong").to(uri("list", ONE_PAGE_RANGE));
            }
        })).hasStackTraceContaining("Invalid component option " + option + "=")
                .hasStackTraceContaining(allowed);
        assertThat(simulator.counters().totalCalls()).isZero();
    }

    @Test
    void replicasBelowOneAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> component().setCallBudgetReplicas(0)).hasMessageContaining("callBudgetReplicas=0");
    }

    @Test
    void theOptionsMakeTheBudgetTheEndpointsShare() throws Exception {
        WecomGroupMsgComponent component = component();
        component.setCallBudget(null);
        component.setCallLimits("serviceProvider");
        component.setCallBudgetShare(0.25);
        component.setCallLimitCorpPerMinute(400);
        component.setCallBudgetReplicas(2);

        exportAll(uri("list", ONE_PAGE_RANGE));
        component.setCallBudgetReplicas(4);

        CallBudget budget = component.callBudgetInUse();
        assertThat(budget.limits()).isEqualTo(new CallBudget.Limits(400, 150_000, 40_000, 1_200_000, 0.25, 3));
        assertThat(budget.replicas()).as("a change reaches the budget in use").isEqualTo(4);
        assertThat(budget.statistics(CORP_ID, GroupMsgApi.LIST).granted()).isEqualTo(1);
    }

    @Test
    void turnedOffCallsGoAsTheyComeAnd45009IsOnlyRetried() throws Exception {
        component().setCallBudgetEnabled(false);
        simulator.faults().failNext(Api.LIST, Fault.FREQ_LIMIT, 1);

        try (LogCapture logs = new LogCapture(Level.INFO)) {
            Collector got = exportAll(uri("list", RANGE));

            ExportAssertions.assertExactly(got.bodies, truth("list", "single"));
            assertThat(component().callBudgetInUse()).isNull();
            assertThat(logs.text()).doesNotContain("45009");
        }
    }

    @Test
    void a45009IsSaidOnceByTheComponentsLoggerWithoutSecretOrToken() throws Exception {
        simulator.faults().failNext(Api.LIST, Fault.FREQ_LIMIT, 1);

        try (LogCapture logs = new LogCapture(Level.INFO)) {
            Collector got = exportAll(uri("list", RANGE));

            ExportAssertions.assertExactly(got.bodies, truth("list", "single"));
            List<String> warnings = logs.text().lines().filter(l -> l.contains(" WARN ") && l.contains("45009"))
                    .toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains(WecomGroupMsgComponent.class.getName())
                    .contains("corp " + CORP_ID).contains("get_groupmsg_list_v2").contains(" wait until 20")
                    .doesNotContain(CORP_SECRET).doesNotContain("access_token");
        }
        CallBudget.Statistics stats = callBudget.statistics(CORP_ID, GroupMsgApi.LIST);
        assertThat(stats.refused()).isEqualTo(1);
        assertThat(stats.pauses()).isEqualTo(1);
    }
}
