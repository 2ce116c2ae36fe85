package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.client.CallBudget;
import io.github.camelwecom.groupmsg.client.TestBudgets;
import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs each test class against one WeCom simulator on a free loopback port, over real HTTP. Faults and counters are
 * reset before each test.
 */
abstract class SimulatorTestSupport extends CamelTestSupport {

    static final String CORP_ID = "ww-test-corp";
    static final String CORP_SECRET = "S3cr3t-for-tests-only-0123456789";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The four months the small data set spans, 2025-09-01 .. 2025-12-31 in Asia/Shanghai. */
    static final long RANGE_START = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
    static final long RANGE_END = LocalDate.parse("2026-01-01").atStartOfDay(ZONE).toEpochSecond() - 1;
    static final String RANGE = "startTime=2025-09-01&endTime=2025-12-31T23:59:59";
    /** Within one list window, as a single list page requires. */
    static final String ONE_PAGE_RANGE = "startTime=2025-09-01&endTime=2025-09-20";

    static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    /** More corps the simulator accepts, each with {@link #secretOf} as its secret and the same data. */
    static final List<String> MORE_CORPS = List.of("ww-corp-a", "ww-corp-b", "ww-corp-c");

    static WecomSimulator simulator;

    @BeforeAll
    static void startSimulator() {
        WecomSimulator.Builder builder = WecomSimulator.builder().port(0).dataSet(DATA)
                .credentials(CORP_ID, CORP_SECRET);
        MORE_CORPS.forEach(corp -> builder.credentials(corp, secretOf(corp)));
        simulator = builder.build().start();
    }

    @AfterAll
    static void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    /**
     * The component's call budget, on a clock of its own that moves as far as a call would wait: a 45009's pause ends
     * at once instead of at the end of a real minute.
     */
    final CallBudget callBudget = TestBudgets.movedByWaits(CallBudget.Limits.DEFAULT,
            new MovableClock(System.currentTimeMillis() / 1000));

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        camel.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setCallBudget(callBudget);
        return camel;
    }

    @BeforeEach
    void resetSimulator() {
        simulator.faults().clear();
        simulator.counters().reset();
        simulator.setLatency(Duration.ZERO);
        simulator.setTokenTtl(WecomSimulator.DEFAULT_TOKEN_TTL);
        simulator.expireAllTokens();
    }

    static String secretOf(String corpId) {
        return "secret-of-" + corpId;
    }

    /** An endpoint URI against the simulator with test credentials and fast polling. */
    /**
     * One scheduled run of a consumer started with {@code startScheduler=false}, as the component's scheduler runs it:
     * polls again at once while the pass has more to read.
     */
    static void runPolls(WecomGroupMsgConsumer consumer) {
        do {
            consumer.run();
        } while (consumer.pollAgainNow() && consumer.isRunAllowed());
    }

    static String uri(String api, String options) {
        return "wecom-groupmsg:" + api + "?baseUrl=" + simulator.baseUrl() + "&corpId=" + CORP_ID + "&corpSecret="
                + CORP_SECRET + "&initialDelay=0&delay=100&retryDelay=10ms&maxRetryDelay=50ms"
                + (options.isEmpty() ? "" : "&" + options);
    }

    /** What a consumer route handed on: bodies and headers, in order. */
    static final class Collector {
        final List<Object> bodies = Collections.synchronizedList(new ArrayList<>());
        final List<Map<String, Object>> headers = Collections.synchronizedList(new ArrayList<>());
        final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());

        void add(Exchange exchange) {
            bodies.add(exchange.getMessage().getBody());
            headers.add(Map.copyOf(exchange.getMessage().getHeaders()));
            exchanges.add(exchange.copy());
        }

        int size() {
            return bodies.size();
        }
    }

    /** Starts a route from {@code uri} that collects every record, and waits until its bounded export is done. */
    Collector exportAll(String uri) throws Exception {
        Collector collector = new Collector();
        String routeId = "export-" + System.nanoTime();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(collector::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute(routeId).getConsumer();
        await(Duration.ofSeconds(60), consumer::isFinished, () -> "export did not finish; got " + collector.size());
        context.getRouteController().stopRoute(routeId);
        return collector;
    }

    /**
     * Sends a producer request for a first page ({@code msgid} for task and result, else null) that must fail, and
     * returns the WeCom error it failed with.
     */
    WecomApiException failure(String endpoint, String msgid) {
        Exchange result = template.request(endpoint, exchange -> {
            exchange.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, "");
            if (msgid != null) {
                exchange.getMessage().setHeader(WecomGroupMsgConstants.MSG_ID, msgid);
            }
        });
        assertThat(result.getException()).isInstanceOf(WecomApiException.class);
        return (WecomApiException) result.getException();
    }

    /** Waits until {@code condition} holds; on timeout fails with {@code message}, built then. */
    static void await(Duration timeout, BooleanSupplier condition, Supplier<String> message)
            throws InterruptedException {
        try {
            Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            fail(message.get(), e);
        }
    }

    /**
     * Fails with {@code message} unless {@code condition} holds throughout the next 300 ms. Call it after an event that
     * proves the component had its chance to break it (e.g. {@link #awaitWholePass}), not instead of one.
     */
    static void assertStays(BooleanSupplier condition, Supplier<String> message) {
        try {
            Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            fail(message.get(), e);
        }
    }

    /**
     * Waits until {@code consumer} completed two more passes than it had when called: in follow mode, at least one of
     * them started after the caller moved the clock, so it read up to the new now.
     */
    static void awaitWholePass(WecomGroupMsgConsumer consumer) throws InterruptedException {
        long after = consumer.getPassesCompleted() + 2;
        await(Duration.ofSeconds(30), () -> consumer.getPassesCompleted() >= after,
                () -> "passes completed: " + consumer.getPassesCompleted() + "/" + after);
    }

    /** Waits until {@code consumer} has read a whole pass up to {@code epochSecond} (a follow-mode "now"). */
    static void awaitPassUpTo(WecomGroupMsgConsumer consumer, long epochSecond) throws InterruptedException {
        await(Duration.ofSeconds(30), () -> consumer.getCompleteUpTo() >= epochSecond,
                () -> "complete up to " + consumer.getCompleteUpTo() + ", not " + epochSecond);
    }

    /** What Camel Main and Spring Boot do with camel.health.*: the routes' and consumers' checks are registered. */
    static void registerHealthChecks(CamelContext camel) {
        HealthCheckRegistry health = new DefaultHealthCheckRegistry();
        health.setCamelContext(camel);
        health.setExposureLevel("full");
        health.register(health.resolveById("routes"));
        health.register(health.resolveById("consumers"));
        camel.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, health);
    }

    /** The readiness result of the consumer of {@code routeId} (its check is {@code consumer:<routeId>}). */
    HealthCheck.Result consumerHealth(String routeId) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        Optional<HealthCheck.Result> result = results.stream()
                .filter(r -> r.getCheck().getId().equals("consumer:" + routeId)).findFirst();
        assertThat(result).as("consumer health check of " + routeId + " in "
                + results.stream().map(r -> r.getCheck().getId() + "=" + r.getState()).toList())
                .isPresent();
        return result.get();
    }

    static Stream<ObjectNode> truth(String api, String chatType) {
        return switch (api) {
            case "list" -> DATA.groundTruth().messages(chatType, RANGE_START, RANGE_END, null, 2);
            case "task" -> DATA.groundTruth().tasks(chatType, RANGE_START, RANGE_END, null, 2);
            default -> DATA.groundTruth().results(chatType, RANGE_START, RANGE_END, null, 2);
        };
    }
}
