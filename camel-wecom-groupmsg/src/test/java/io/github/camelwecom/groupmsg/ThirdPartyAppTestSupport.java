package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelwecom.groupmsg.client.AccessTokenProvider;
import io.github.camelwecom.groupmsg.client.WecomSuite;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A third-party app's suite and its authorized corps on a simulator of their own, and the route template a provider
 * would write: one route per corp, its {@code accessTokenProvider} a template bean of {@link WecomSuite#forCorp}.
 * Shared by {@link ThirdPartyAppTest} and the corps module's test of {@code CorpRoutes} for such an app.
 */
abstract class ThirdPartyAppTestSupport extends SimulatorTestSupport {

    static final String SUITE = "ww-suite-routes";
    static final String SUITE_SECRET = "Suite-Route-S3cret-0123456789";
    static final String TICKET = "Route-Ticket-0123456789";
    static final int CORPS = 5;

    /** A simulator that knows the suite; the inherited one serves corpId/corpSecret tests and stays idle here. */
    static WecomSimulator wecom;

    /** Made afresh for each test, so that no token is cached from the one before. */
    WecomSuite suite;
    /** Records each route got, by route id. */
    final Map<String, Collector> got = new ConcurrentHashMap<>();

    @BeforeAll
    static void startSuiteSimulator() {
        WecomSimulator.Builder builder = WecomSimulator.builder().port(0).dataSet(DATA).suite(SUITE, SUITE_SECRET,
                TICKET);
        for (int i = 0; i < CORPS; i++) {
            builder.authorizedCorp(SUITE, corp(i), code(i));
        }
        wecom = builder.build().start();
    }

    @AfterAll
    static void stopSuiteSimulator() {
        wecom.close();
    }

    @BeforeEach
    void resetSuiteSimulator() {
        wecom.faults().clear();
        wecom.counters().reset();
        wecom.expireAllTokens();
        for (int i = 0; i < CORPS; i++) {
            wecom.authorizeCorp(SUITE, corp(i), code(i));
        }
        suite = WecomSuite.builder(SUITE, SUITE_SECRET, () -> TICKET).baseUrl(wecom.baseUrl())
                .retries(2, Duration.ofMillis(10), Duration.ofMillis(50)).build();
    }

    static String corp(int i) {
        return "ww-route-corp-" + i;
    }

    static String code(int i) {
        return "Route-Permanent-Code-" + i + "-0123456789";
    }

    /** The template a provider would write: one route per corp, its token provider a bean of the template. */
    void addTemplate(String api, String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                routeTemplate("wecom-corp").templateParameter("corpId").templateParameter("permanentCode")
                        .templateBean("wecomTokens", AccessTokenProvider.class,
                                rtc -> suite.forCorp(rtc.getProperty("corpId", String.class),
                                        rtc.getProperty("permanentCode", String.class)))
                        .from("wecom-groupmsg:" + api + "?baseUrl=" + wecom.baseUrl()
                                + "&accessTokenProvider=#{{wecomTokens}}&initialDelay=0&delay=100&retryDelay=10ms"
                                + "&maxRetryDelay=50ms&" + options)
                        .process(e -> got.computeIfAbsent(e.getFromRouteId(), id -> new Collector()).add(e));
            }
        });
    }

    static long at(String date) {
        return LocalDate.parse(date).atStartOfDay(ZONE).toEpochSecond();
    }
}
