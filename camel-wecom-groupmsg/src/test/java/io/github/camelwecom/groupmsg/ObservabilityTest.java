package io.github.camelwecom.groupmsg;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.support.PluginHelper;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person running an export sees: consumer health (DOWN with the errcode while it cannot get a token, UP once
 * polls succeed), counters in JMX, Micrometer and the wecom-groupmsg dev console, and one progress line per window with
 * records.
 */
class ObservabilityTest extends SimulatorTestSupport {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        registerHealthChecks(camel);
        camel.getRegistry().bind("meters", meters);
        return camel;
    }

    @Test
    void healthIsDownWithTheErrcodeUntilPollsSucceed() throws Exception {
        String wrong = uri("list", RANGE).replace(CORP_SECRET, "wrong-secret-0000");
        context.addRoutes(route("wrong", wrong));
        context.addRoutes(route("right", uri("list", RANGE)));
        WecomGroupMsgConsumer wrongConsumer = (WecomGroupMsgConsumer) context.getRoute("wrong").getConsumer();
        SimulatorTestSupport.await(Duration.ofSeconds(20), () -> wrongConsumer.getErrorCounter() >= 3,
                () -> "failed polls: " + wrongConsumer.getErrorCounter());

        HealthCheck.Result down = consumerHealth("wrong");
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getDetails()).containsEntry("wecom.errcode", 40001).containsEntry("wecom.api", "gettoken");
        assertThat(down.getDetails().toString()).doesNotContain("wrong-secret-0000");

        SimulatorTestSupport.await(Duration.ofSeconds(20),
                () -> consumerHealth("right").getState() == HealthCheck.State.UP, () -> "never UP");
        assertThat(consumerHealth("wrong").getState()).isEqualTo(HealthCheck.State.DOWN);
    }

    @Test
    void countersInJmxMicrometerAndTheDevConsole() throws Exception {
        simulator.faults().failNext(Api.RESULT, Fault.FREQ_LIMIT, 2);
        simulator.faults().failNext(Api.TASK, Fault.HTTP_502, 1);
        simulator.faults().failNext(Api.RESULT, Fault.TOKEN_EXPIRED, 1);
        Collector got;
        try (LogCapture logs = new LogCapture(Level.INFO)) {
            got = exportAll(uri("result", RANGE + "&concurrency=2"));
            // one progress line per window with records, not per record: 4 months in 30-day windows, the fifth
            // (30 and 31 December) without messages, hence no INFO line (FollowModeLoggingTest)
            List<String> progress = logs.text().lines().filter(l -> l.contains("result export of route")).toList();
            assertThat(progress).hasSize(4);
            for (int window = 1; window <= 4; window++) {
                assertThat(progress.get(window - 1)).contains("window " + window + "/5 done")
                        .contains("+08:00 .. ").as("in the range's time zone");
            }
        }
        long records = got.size();
        WecomGroupMsgEndpoint endpoint = context.getEndpoints().stream()
                .filter(WecomGroupMsgEndpoint.class::isInstance).map(WecomGroupMsgEndpoint.class::cast)
                .findFirst().orElseThrow();
        WecomGroupMsgStatistics stats = endpoint.getStatistics();
        assertThat(stats.getRecordsEmitted()).isEqualTo(records);
        assertThat(stats.getRetries()).containsEntry("45009", 2L).containsEntry("none", 1L);
        // the expired token may be rejected once per request in flight; it is fetched again once
        assertThat(stats.getTokenRejections()).isBetween(1L, 2L);
        assertThat(stats.getTokenFetches()).isEqualTo(2);
        assertThat(stats.getCalls(GroupMsgApi.RESULT, true))
                .isEqualTo(simulator.counters().successes(Api.RESULT));
        assertThat(stats.getCheckpoint()).contains("\"finished\":true");

        // JMX: the endpoint MBean carries the counters
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(
                new ObjectName("org.apache.camel:context=" + context.getName() + ",type=endpoints,*"), null);
        ObjectName name = names.stream().filter(n -> n.toString().contains("wecom-groupmsg")).findFirst()
                .orElseThrow();
        assertThat(server.getAttribute(name, "RecordsEmitted")).isEqualTo(records);
        assertThat((String) server.getAttribute(name, "Retries")).contains("45009=2");
        assertThat(server.getAttribute(name, "TokenRejections")).isEqualTo(stats.getTokenRejections());
        // the call budget of the endpoint's corp, per API called: every call went through it
        long resultCalls = simulator.counters().calls(Api.RESULT);
        assertThat((String) server.getAttribute(name, "CallBudget"))
                .contains("result={granted=" + resultCalls + ", waiting=0,").contains("refused=2, pauses=");

        // Micrometer: meters in the application's registry
        FunctionCounter emitted = meters.find("wecom.groupmsg.records.emitted").tag("api", "result")
                .functionCounter();
        assertThat(emitted).isNotNull();
        assertThat(emitted.count()).isEqualTo(records);
        assertThat(meters.find("wecom.groupmsg.retries").tag("errcode", "45009").functionCounter().count())
                .isEqualTo(2);
        assertThat(meters.find("wecom.groupmsg.api.calls").tag("call", "result").tag("outcome", "success")
                .functionCounter().count()).isEqualTo(simulator.counters().successes(Api.RESULT));
        assertThat(meters.find("wecom.groupmsg.budget.granted").tag("api", "result").tag("corpId", CORP_ID)
                .functionCounter().count()).isEqualTo(resultCalls);
        assertThat(meters.find("wecom.groupmsg.budget.refused").tag("api", "result").tag("corpId", CORP_ID)
                .functionCounter().count()).isEqualTo(2);
        assertThat(meters.find("wecom.groupmsg.budget.granted").tag("api", "list").functionCounter().count())
                .isEqualTo(simulator.counters().calls(Api.LIST));
        assertThat(meters.find("wecom.groupmsg.budget.minute.used").tag("api", "task").gauge().value())
                .isPositive();

        // the dev console, as camel get dev-console wecom-groupmsg shows it
        DevConsole console = PluginHelper.getDevConsoleResolver(context).resolveDevConsole("wecom-groupmsg");
        assertThat(console).isNotNull();
        String text = (String) console.call(DevConsole.MediaType.TEXT);
        assertThat(text).contains("wecom-groupmsg://result").contains("recordsEmitted: " + records)
                .contains("45009=2").contains("callBudget: {list={granted=")
                .contains("call budget of this IP: {list={granted=").doesNotContain(CORP_SECRET);
        @SuppressWarnings("unchecked") Map<String, Object> json =
                (Map<String, Object>) console.call(DevConsole.MediaType.JSON);
        assertThat((Collection<?>) json.get("endpoints")).hasSize(1);
        assertThat(json.get("callBudgetIp").toString()).contains("result={granted=" + resultCalls);
    }

    private static RouteBuilder route(String id, String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(id).to("mock:" + id);
            }
        };
    }
}
