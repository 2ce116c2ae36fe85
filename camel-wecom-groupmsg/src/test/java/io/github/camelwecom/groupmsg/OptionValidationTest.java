package io.github.camelwecom.groupmsg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.github.camelwecom.groupmsg.client.AccessTokenProvider;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Wrong options stop the route from starting, consumer or producer, before any call to WeCom, with one message in the
 * exception chain that names the option and what is allowed, and never the corpSecret.
 */
class OptionValidationTest extends SimulatorTestSupport {

    /** Replaced by the simulator's base URL. */
    private static final String BASE = "baseUrl={base}";
    private static final String CREDENTIALS = "corpId=" + CORP_ID + "&corpSecret=" + CORP_SECRET;
    private static final String OK = BASE + "&" + CREDENTIALS;

    @Override
    protected void doPostSetup() throws Exception {
        AccessTokenProvider tokens = () -> "token-from-a-bean";
        context.getRegistry().bind("tokens", tokens);
    }

    /** name, endpoint URI ({base} = simulator), the option named, and what must be said as allowed. */
    static Stream<Arguments> wrongOptions() {
        return Stream.of(
                arguments("unknown api", "wecom-groupmsg:lists?" + OK, "api", List.of("list", "task", "result")),
                arguments("bad chatType", "wecom-groupmsg:list?" + OK + "&chatType=private", "chatType",
                        List.of("single", "group")),
                arguments("list limit 0", "wecom-groupmsg:list?" + OK + "&limit=0", "limit", List.of("1..100")),
                arguments("list limit 101", "wecom-groupmsg:list?" + OK + "&limit=101", "limit", List.of("1..100")),
                arguments("task limit 1001", "wecom-groupmsg:task?" + OK + "&limit=1001", "limit",
                        List.of("1..1000")),
                arguments("result limit 1001", "wecom-groupmsg:result?" + OK + "&limit=1001", "limit",
                        List.of("1..1000")),
                arguments("result limit 0", "wecom-groupmsg:result?" + OK + "&limit=0", "limit", List.of("1..1000")),
                arguments("filterType 3", "wecom-groupmsg:list?" + OK + "&filterType=3", "filterType",
                        List.of("0", "1", "2")),
                arguments("filterType -1", "wecom-groupmsg:task?" + OK + "&filterType=-1", "filterType",
                        List.of("0", "1", "2")),
                arguments("unparsable startTime", "wecom-groupmsg:list?" + OK + "&startTime=yesterday", "startTime",
                        List.of("epoch seconds", "ISO date", "-P7D")),
                arguments("unparsable endTime",
                        "wecom-groupmsg:list?" + OK + "&startTime=2025-09-01&endTime=2025-13-45",
                        "endTime", List.of("epoch seconds", "ISO date", "-P7D")),
                arguments("startTime after endTime",
                        "wecom-groupmsg:task?" + OK + "&startTime=2025-12-01&endTime=2025-11-01", "endTime",
                        List.of("not before startTime", "2025-12-01")),
                arguments("positive duration as startTime", "wecom-groupmsg:list?" + OK + "&startTime=P7D",
                        "startTime", List.of("negative", "-P7D")),
                arguments("windowSize P32D", "wecom-groupmsg:list?" + OK + "&windowSize=P32D", "windowSize",
                        List.of("P31D")),
                arguments("reconcileInterval PT10S", "wecom-groupmsg:result?" + OK + "&reconcileInterval=PT10S",
                        "reconcileInterval", List.of("0 (off)", "a minute or more")),
                arguments("windowSize 0s", "wecom-groupmsg:result?" + OK + "&windowSize=0s", "windowSize",
                        List.of("1s", "P31D")),
                arguments("no credentials", "wecom-groupmsg:list?" + BASE, "corpId",
                        List.of("corpSecret", "accessTokenProvider")),
                arguments("corpId without corpSecret", "wecom-groupmsg:list?" + BASE + "&corpId=" + CORP_ID,
                        "corpSecret", List.of("corpId")),
                arguments("corpSecret without corpId", "wecom-groupmsg:list?" + BASE + "&corpSecret=" + CORP_SECRET,
                        "corpId", List.of("corpSecret")),
                arguments("credentials and accessTokenProvider",
                        "wecom-groupmsg:list?" + OK + "&accessTokenProvider=#tokens", "accessTokenProvider",
                        List.of("corpId", "corpSecret")),
                arguments("http to a non-loopback host",
                        "wecom-groupmsg:list?" + CREDENTIALS + "&baseUrl=http://qyapi.weixin.qq.com", "baseUrl",
                        List.of("https://")),
                // a DNS name is not loopback because it starts with "127.": the secret would cross the network
                // in clear text (gettoken sends corpsecret in the query string)
                arguments("http to a DNS name that starts with 127.",
                        "wecom-groupmsg:list?" + CREDENTIALS + "&baseUrl=http://127.0.0.1.invalid", "baseUrl",
                        List.of("https://")),
                arguments("baseUrl not a URL", "wecom-groupmsg:list?" + CREDENTIALS + "&baseUrl=qyapi.weixin.qq.com",
                        "baseUrl", List.of("https://")),
                arguments("baseUrl with another scheme",
                        "wecom-groupmsg:list?" + CREDENTIALS + "&baseUrl=ftp://qyapi.weixin.qq.com", "baseUrl",
                        List.of("https://")),
                arguments("bad timeZone", "wecom-groupmsg:list?" + OK + "&timeZone=Mars/Olympus_Mons", "timeZone",
                        List.of("Asia/Shanghai")),
                arguments("concurrency 0", "wecom-groupmsg:result?" + OK + "&concurrency=0", "concurrency",
                        List.of("1..64")),
                arguments("concurrency 65", "wecom-groupmsg:task?" + OK + "&concurrency=65", "concurrency",
                        List.of("1..64")),
                arguments("negative maxRetries", "wecom-groupmsg:list?" + OK + "&maxRetries=-1", "maxRetries",
                        List.of("0 or more")),
                arguments("maxRetryDelay below retryDelay",
                        "wecom-groupmsg:list?" + OK + "&retryDelay=2s&maxRetryDelay=1s", "maxRetryDelay",
                        List.of("retryDelay")),
                arguments("negative maxRequestsPerSecond", "wecom-groupmsg:list?" + OK + "&maxRequestsPerSecond=-1",
                        "maxRequestsPerSecond", List.of("0")),
                arguments("connectTimeout 0s", "wecom-groupmsg:list?" + OK + "&connectTimeout=0s", "connectTimeout",
                        List.of("positive")),
                arguments("msgid with list", "wecom-groupmsg:list?" + OK + "&msgid=msgABC", "msgid",
                        List.of("task", "result")),
                arguments("userid with task", "wecom-groupmsg:task?" + OK + "&userid=zhangsan01", "userid",
                        List.of("result")),
                arguments("userid with list", "wecom-groupmsg:list?" + OK + "&userid=zhangsan01", "userid",
                        List.of("result")));
    }

    @ParameterizedTest(name = "consumer: {0}")
    @MethodSource("wrongOptions")
    void consumerRouteFailsToStart(String name, String uri, String option, List<String> allowed) {
        String endpoint = uri.replace("{base}", simulator.baseUrl());

        Throwable failure = failToStart("consumer-" + System.nanoTime(), endpoint, true);

        assertNamesOptionAndAllowed(failure, option, allowed);
        assertThat(simulator.counters().totalCalls()).as("nothing was called").isZero();
    }

    @ParameterizedTest(name = "producer: {0}")
    @MethodSource("wrongOptions")
    void producerRouteFailsToStart(String name, String uri, String option, List<String> allowed) {
        String endpoint = uri.replace("{base}", simulator.baseUrl());

        Throwable failure = failToStart("producer-" + System.nanoTime(), endpoint, false);

        assertNamesOptionAndAllowed(failure, option, allowed);
        assertThat(simulator.counters().totalCalls()).as("nothing was called").isZero();
    }

    @Test
    void atLeastTwentyWrongOptionsAreChecked() {
        assertThat(wrongOptions().count()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void wrongOptionOnTheComponentFailsEveryRouteThatUsesIt() {
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).getConfiguration().setLimit(0);

        Throwable failure = failToStart("component-default",
                "wecom-groupmsg:list?" + OK.replace("{base}", simulator.baseUrl()), true);

        assertNamesOptionAndAllowed(failure, "limit", List.of("1..100"));
    }

    @Test
    void theSameEndpointsWithRightValuesStart() throws Exception {
        String base = "baseUrl=" + simulator.baseUrl();
        List<String> good = List.of(
                "wecom-groupmsg:list?" + base + "&" + CREDENTIALS + "&limit=100&filterType=0&windowSize=P31D",
                "wecom-groupmsg:task?" + base + "&" + CREDENTIALS + "&limit=1000&concurrency=64&msgid=msgABC",
                "wecom-groupmsg:result?" + base + "&" + CREDENTIALS + "&limit=1&userid=zhangsan01&windowSize=1s",
                "wecom-groupmsg:list?" + base + "&accessTokenProvider=#tokens&startTime=-P7D&timeZone=UTC",
                "wecom-groupmsg:list?" + base + "&" + CREDENTIALS + "&retryDelay=1s&maxRetryDelay=1s&maxRetries=0",
                "wecom-groupmsg:list?" + base + "&" + CREDENTIALS + "&startTime=2025-09-01&endTime=2025-09-01");
        int i = 0;
        for (String uri : good) {
            String id = "good-" + i++;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:" + id).routeId(id).to(uri);
                }
            });
            assertThat(context.getRouteController().getRouteStatus(id)).as(uri).isEqualTo(ServiceStatus.Started);
        }
    }

    // ---- helpers ----

    /** Adds a route from (consumer) or to (producer) the endpoint; it must fail and not be running afterwards. */
    private Throwable failToStart(String routeId, String endpoint, boolean consumer) {
        RouteBuilder routes = new RouteBuilder() {
            @Override
            public void configure() {
                if (consumer) {
                    from(endpoint).routeId(routeId).to("mock:records");
                } else {
                    from("direct:" + routeId).routeId(routeId).to(endpoint);
                }
            }
        };
        Exception thrown = null;
        try {
            context.addRoutes(routes);
        } catch (Exception e) {
            thrown = e;
        }
        ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
        if (thrown == null) {
            fail("route " + (consumer ? "from " : "to ") + endpoint.replace(CORP_SECRET, "xxxxxx")
                    + " was created (status " + status + ") but its options are wrong");
        }
        assertThat(status == null || !status.isStarted()).as("route %s is not running (%s)", routeId, status).isTrue();
        return thrown;
    }

    private static void assertNamesOptionAndAllowed(Throwable failure, String option, List<String> allowed) {
        List<String> messages = messages(failure);
        for (String message : messages) {
            assertThat(message).as("corpSecret leaked into an error message").doesNotContain(CORP_SECRET);
        }
        boolean found = messages.stream().anyMatch(m -> m.contains(option) && allowed.stream().allMatch(m::contains));
        if (!found) {
            fail("no message names option " + option + " and allowed " + allowed + "; messages: " + messages);
        }
    }

    /** Every message and toString of the exception, its causes and suppressed exceptions. */
    private static List<String> messages(Throwable failure) {
        List<String> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(failure, out, seen);
        return out;
    }

    private static void collect(Throwable t, List<String> out, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        out.add(String.valueOf(t.getMessage()));
        out.add(t.toString());
        for (Throwable s : t.getSuppressed()) {
            collect(s, out, seen);
        }
        collect(t.getCause(), out, seen);
    }
}
