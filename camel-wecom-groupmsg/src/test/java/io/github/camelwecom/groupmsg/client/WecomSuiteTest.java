package io.github.camelwecom.groupmsg.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.ApiCall;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Third-party app tokens against the simulator over HTTP: one suite_access_token for all corps of the suite, one
 * get_corp_token per corp however many threads ask, both refreshed before they expire on the provider's clock, a
 * refused suite token replaced once, the latest suite_ticket read at each suite token fetch, and no secret, ticket,
 * permanent code or token in a message or toString.
 */
class WecomSuiteTest {

    private static final String SUITE = "ww-suite-test";
    private static final String SUITE_SECRET = "Suite-S3cret-0123456789";
    private static final int CORPS = 12;

    private final WecomSimulator simulator = start(WecomSimulator.builder().port(0)
            .dataSet(DataSet.generate(DataSetSpec.small())).latency(Duration.ofMillis(50))
            .suite(SUITE, SUITE_SECRET, "ticket-1"));
    /** The providers' clock, moved by the test; the simulator's token lifetimes run on real time. */
    private final MovableClock clock = new MovableClock(Instant.parse("2025-10-01T00:00:00Z").getEpochSecond());
    private final AtomicReference<String> ticket = new AtomicReference<>("ticket-1");
    private final WecomSuite suite = WecomSuite.builder(SUITE, SUITE_SECRET, ticket::get).baseUrl(simulator.baseUrl())
            .retries(2, Duration.ofMillis(10), Duration.ofMillis(50)).timeouts(Duration.ofSeconds(2),
                    Duration.ofSeconds(5))
            .clock(clock).build();

    private static WecomSimulator start(WecomSimulator.Builder builder) {
        for (int i = 0; i < CORPS; i++) {
            builder.authorizedCorp(SUITE, corp(i), code(i));
        }
        return builder.build().start();
    }

    private static String corp(int i) {
        return "ww-corp-" + i;
    }

    private static String code(int i) {
        return "Permanent-Code-" + i + "-0123456789";
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    /** {@code threads} threads, all started at once, each calling {@code call} with its number; their ends. */
    private static List<Future<?>> atOnce(int threads, Consumer<Integer> call) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> ends = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int n = i;
            ends.add(pool.submit(() -> {
                go.await();
                call.accept(n);
                return null;
            }));
        }
        go.countDown();
        pool.shutdown();
        return ends;
    }

    private List<Integer> corpTokenErrcodes() {
        return simulator.counters().callLog(Api.CORP_TOKEN).stream().map(ApiCall::errcode).toList();
    }

    @Test
    void allCorpsOfTheSuiteShareOneSuiteTokenAndEachCorpAsksOnceHoweverManyThreadsNeedIt() throws Exception {
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        // 4 threads per corp, all at the same moment
        for (Future<?> end : atOnce(4 * CORPS, n -> tokens.add(suite.forCorp(corp(n % CORPS), code(n % CORPS))
                .getAccessToken()))) {
            end.get();
        }

        assertThat(tokens).hasSize(CORPS);
        assertThat(simulator.counters().calls(Api.SUITE_TOKEN)).as("get_suite_token calls for " + CORPS + " corps")
                .isEqualTo(1);
        assertThat(simulator.counters().calls(Api.CORP_TOKEN)).as("get_corp_token calls").isEqualTo(CORPS);
        assertThat(suite.forCorp(corp(0), code(0))).as("one provider per corp")
                .isSameAs(suite.forCorp(corp(0), code(0)));
        assertThat(((SuiteCorpTokenProvider) suite.forCorp(corp(0), code(0))).tokenFetches()).isEqualTo(1);
    }

    /** The provider's clock moves by {@code seconds}; then the token calls made so far, and whether it changed. */
    private record Step(long seconds, boolean wecomExpiresTokens, long calls, boolean sameToken, String what) {
    }

    @Test
    void corpAndSuiteTokensAreRefreshedBeforeTheyExpire() {
        simulator.setTokenTtl(Duration.ofSeconds(1000)); // refresh due at 90 %: after 900 s
        AccessTokenProvider tokens = suite.forCorp(corp(0), code(0));
        String first = tokens.getAccessToken();
        for (Step step : List.of(new Step(899, false, 1, true, "before 90 %"),
                new Step(2, false, 2, true, "past 90 %: WeCom hands out the valid tokens again"),
                new Step(100, true, 3, false, "past the end of both lifetimes"))) {
            if (step.wecomExpiresTokens()) {
                simulator.expireAllTokens();
            }
            clock.advance(Duration.ofSeconds(step.seconds()));

            assertThat(tokens.getAccessToken().equals(first)).as(step.what()).isEqualTo(step.sameToken());
            assertThat(List.of(simulator.counters().calls(Api.CORP_TOKEN), simulator.counters().calls(Api.SUITE_TOKEN)))
                    .as("get_corp_token and get_suite_token calls " + step.what())
                    .containsExactly(step.calls(), step.calls());
        }
        assertThat(corpTokenErrcodes()).as("no call with a token past its life").containsOnly(0);
    }

    @ParameterizedTest
    @ValueSource(ints = { 40082, 42009 })
    void aRefusedSuiteTokenIsReplacedAndGetCorpTokenAskedOnceMore(int errcode) {
        AccessTokenProvider tokens = suite.forCorp(corp(0), code(0));
        String first = tokens.getAccessToken();
        if (errcode == 40082) {
            simulator.invalidateSuiteTokens();
        } else {
            simulator.expireSuiteTokens();
        }
        simulator.expireAllTokens();

        tokens.invalidate(first); // as the client does when an API refuses the token
        String second = tokens.getAccessToken();

        assertThat(second).isNotEqualTo(first);
        assertThat(corpTokenErrcodes()).containsExactly(0, errcode, 0);
        assertThat(simulator.counters().calls(Api.SUITE_TOKEN)).isEqualTo(2);
    }

    @Test
    void theLatestTicketIsReadAtEachSuiteTokenFetch() {
        AccessTokenProvider tokens = suite.forCorp(corp(0), code(0));
        String first = tokens.getAccessToken();
        simulator.setSuiteTicket(SUITE, "ticket-2"); // WeCom's push; the callback handler has not stored it yet
        simulator.invalidateSuiteTokens();
        simulator.expireAllTokens();
        tokens.invalidate(first);

        assertThatThrownBy(tokens::getAccessToken).isInstanceOf(WecomApiException.class)
                .hasMessageContaining("errcode=40085").hasMessageContaining("latest ticket");

        ticket.set("ticket-2"); // the callback handler stored the new ticket
        assertThat(tokens.getAccessToken()).isNotEqualTo(first);
        assertThat(simulator.counters().callLog(Api.SUITE_TOKEN).stream().map(ApiCall::errcode).toList())
                .containsExactly(0, 40085, 0);
    }

    @Test
    void withoutATicketYetNoCallIsMadeAndTheErrorSaysWhy() {
        ticket.set(null);

        assertThatThrownBy(() -> suite.forCorp(corp(0), code(0)).getAccessToken())
                .isInstanceOf(WecomApiException.class).hasMessageContaining("no suite_ticket for suite " + SUITE)
                .hasMessageContaining("every 10 minutes");
        assertThat(simulator.counters().calls(Api.SUITE_TOKEN)).isZero();
    }

    @Test
    void aWrongSuiteSecretIsAClearErrorAskedAgainOnlyAfterTheBackoff() {
        WecomSuite wrong = WecomSuite.builder(SUITE, "Wrong-Suite-Secret-987", ticket::get)
                .baseUrl(simulator.baseUrl()).clock(clock).build();

        WecomApiException first = catchWecom(() -> wrong.forCorp(corp(0), code(0)).getAccessToken());
        WecomApiException second = catchWecom(() -> wrong.forCorp(corp(1), code(1)).getAccessToken());

        assertThat(first.getErrcode()).isEqualTo(40001);
        assertThat(first.getApi()).isEqualTo("get_suite_token");
        assertThat(first.getMessage()).contains("suite_secret is wrong");
        assertThat(second.getMessage()).contains("not asked again before");
        assertThat(simulator.counters().calls(Api.SUITE_TOKEN)).isEqualTo(1);
        assertThat(simulator.counters().calls(Api.CORP_TOKEN)).isZero();
        assertNothingSecretIn(first.getMessage(), second.getMessage(), wrong.toString());
    }

    @Test
    void aCancelledAuthorizationIs40084NamingTheCorpAndOtherCorpsGoOn() {
        AccessTokenProvider a = suite.forCorp(corp(0), code(0));
        AccessTokenProvider b = suite.forCorp(corp(1), code(1));
        String tokenA = a.getAccessToken();
        b.getAccessToken();
        simulator.cancelAuthorization(SUITE, corp(0));
        a.invalidate(tokenA); // its token was refused

        WecomApiException e = catchWecom(a::getAccessToken);
        WecomApiException again = catchWecom(a::getAccessToken);

        assertThat(e.getErrcode()).isEqualTo(40084);
        assertThat(e.isAuthorizationCancelled()).isTrue();
        assertThat(e.getApi()).isEqualTo("get_corp_token");
        assertThat(e.getMessage()).contains(corp(0)).contains("the corp must authorize the app again");
        assertThat(again.isAuthorizationCancelled()).as("not asked again at once").isTrue();
        assertThat(simulator.counters().calls(Api.CORP_TOKEN)).isEqualTo(3);
        assertThat(b.getAccessToken()).isNotEmpty();

        simulator.authorizeCorp(SUITE, corp(0), "New-Permanent-Code-0");
        AccessTokenProvider renewed = suite.forCorp(corp(0), "New-Permanent-Code-0");
        assertThat(renewed).isNotSameAs(a);
        assertThat(renewed.getAccessToken()).isNotEqualTo(tokenA);
        assertNothingSecretIn(e.getMessage(), again.getMessage(), a.toString(), suite.toString());
    }

    @Test
    void plainHttpGoesOnlyToLoopback() {
        assertThatThrownBy(() -> WecomSuite.builder(SUITE, SUITE_SECRET, ticket::get)
                .baseUrl("http://qyapi.weixin.qq.com").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://");
    }

    private static WecomApiException catchWecom(Runnable call) {
        try {
            call.run();
        } catch (WecomApiException e) {
            return e;
        }
        throw new AssertionError("no WecomApiException");
    }

    private void assertNothingSecretIn(String... texts) {
        Set<String> secrets = new HashSet<>(simulator.issuedTokens());
        secrets.addAll(List.of(SUITE_SECRET, "Wrong-Suite-Secret-987", "ticket-1", "ticket-2"));
        for (int i = 0; i < CORPS; i++) {
            secrets.add(code(i));
        }
        for (String text : texts) {
            assertThat(secrets).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
        }
    }
}
