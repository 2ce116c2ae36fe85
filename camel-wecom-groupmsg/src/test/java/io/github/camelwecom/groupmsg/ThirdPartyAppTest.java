package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.client.WecomSuite;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third-party app's routes, one per corp from a route template whose {@code accessTokenProvider} is a template bean
 * of {@link WecomSuite#forCorp}: each corp's export equals the ground truth, all corps share one suite_access_token,
 * and a corp that cancels its authorization mid-follow has its route stopped, said in one line, while the other corps'
 * routes go on. A producer of such a corp fails the exchange. (A corp that authorizes again and gets a new route from
 * {@code CorpRoutes}: the corps module's ThirdPartyAppCorpRoutesTest.)
 */
class ThirdPartyAppTest extends ThirdPartyAppTestSupport {

    private final MovableClock clock = new MovableClock(at("2025-10-15"));

    private WecomGroupMsgConsumer addCorpRoute(int i) throws Exception {
        String routeId = "corp-" + i;
        TemplatedRouteBuilder.builder(context, "wecom-corp").routeId(routeId).parameter("corpId", corp(i))
                .parameter("permanentCode", code(i)).add();
        return (WecomGroupMsgConsumer) context.getRoute(routeId).getConsumer();
    }

    private Collector got(int i) {
        return got.getOrDefault("corp-" + i, new Collector());
    }

    @Test
    void eachCorpsExportEqualsTheGroundTruthAndAllShareOneSuiteToken() throws Exception {
        addTemplate("task", RANGE + "&concurrency=4");
        for (int i = 0; i < CORPS; i++) {
            addCorpRoute(i);
        }
        for (int i = 0; i < CORPS; i++) {
            WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("corp-" + i).getConsumer();
            int corp = i;
            await(Duration.ofSeconds(60), consumer::isFinished, () -> "corp " + corp + ": " + got(corp).size());
        }

        for (int i = 0; i < CORPS; i++) {
            ExportAssertions.assertExactly(got(i).bodies, truth("task", "single"));
        }
        assertThat(wecom.counters().calls(Api.SUITE_TOKEN)).as("get_suite_token calls for " + CORPS + " corps")
                .isEqualTo(1);
        assertThat(wecom.counters().calls(Api.CORP_TOKEN)).as("get_corp_token calls").isEqualTo(CORPS);
        assertThat(wecom.counters().calls(Api.GETTOKEN)).isZero();
    }

    @Test
    void aCorpThatCancelsMidFollowHasItsRouteStoppedInOneLineWhileTheOthersGoOn() throws Exception {
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        addTemplate("list", "startTime=2025-09-01&overlap=P2D");
        WecomGroupMsgConsumer cancelling = addCorpRoute(0);
        WecomGroupMsgConsumer staying = addCorpRoute(1);
        awaitWholePass(cancelling);
        awaitWholePass(staying);
        long first = DATA.groundTruth().countMessages("single", RANGE_START, at("2025-10-15"), null, 2);
        assertThat(got(0).size()).isEqualTo(first);

        try (LogCapture logs = new LogCapture(Level.DEBUG)) {
            wecom.cancelAuthorization(SUITE, corp(0));
            await(Duration.ofSeconds(30), () -> context.getRouteController().getRouteStatus("corp-0")
                    == ServiceStatus.Stopped,
                    () -> "corp-0 is " + context.getRouteController().getRouteStatus("corp-0"));
            clock.set(at("2025-11-20"));
            long more = DATA.groundTruth().countMessages("single", RANGE_START, at("2025-11-20"), null, 2);
            await(Duration.ofSeconds(30), () -> got(1).size() >= more, () -> "corp 1 after the cancel: "
                    + got(1).size() + "/" + more);

            List<String> said = logs.text().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                    .toList();
            assertThat(said).as("WARN and ERROR lines").hasSize(1);
            assertThat(said.get(0)).contains(" ERROR ").contains("Route corp-0").contains(corp(0))
                    .contains("errcode=40084").contains("is stopped").contains("must authorize the app again");
            assertNoSecretIn(logs.text());
        }
        Route stopped = context.getRoute("corp-0");
        assertThat(stopped.getLastError()).as("the route's last error").isNotNull();
        assertThat(((WecomApiException) stopped.getLastError().getException()).isAuthorizationCancelled()).isTrue();
        assertThat(context.getRouteController().getRouteStatus("corp-1")).isEqualTo(ServiceStatus.Started);
        assertThat(got(0).size()).as("nothing more from the cancelled corp").isEqualTo(first);
        ExportAssertions.assertExactly(got(1).bodies,
                DATA.groundTruth().messages("single", RANGE_START, at("2025-11-20"), null, 2));
    }

    @Test
    void aProducerOfACancelledCorpFailsTheExchange() throws Exception {
        context.getRegistry().bind("cancelledCorp", suite.forCorp(corp(2), code(2)));
        wecom.cancelAuthorization(SUITE, corp(2));
        String endpoint = "wecom-groupmsg:list?baseUrl=" + wecom.baseUrl() + "&accessTokenProvider=#cancelledCorp&"
                + ONE_PAGE_RANGE;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:page").routeId("producer").to(endpoint);
            }
        });

        Exchange result = template.request("direct:page",
                e -> e.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, ""));

        assertThat(result.getException()).isInstanceOf(WecomApiException.class);
        WecomApiException e = (WecomApiException) result.getException();
        assertThat(e.isAuthorizationCancelled()).isTrue();
        assertThat(e.getMessage()).contains(corp(2)).doesNotContain(code(2));
        assertThat(context.getRouteController().getRouteStatus("producer")).isEqualTo(ServiceStatus.Started);
    }

    private void assertNoSecretIn(String text) {
        Set<String> secrets = new HashSet<>(wecom.issuedTokens());
        secrets.addAll(List.of(SUITE_SECRET, TICKET));
        for (int i = 0; i < CORPS; i++) {
            secrets.add(code(i));
        }
        assertThat(secrets).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
    }
}
