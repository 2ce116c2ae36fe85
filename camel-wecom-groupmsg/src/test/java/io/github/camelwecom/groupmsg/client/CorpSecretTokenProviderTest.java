package io.github.camelwecom.groupmsg.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.Fault;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The default token provider against the simulator: however many threads ask at once, one gettoken call is made; the
 * token is shared by every client of the same corp and secret; an invalidated token is replaced; a refused gettoken is
 * not asked again before its backoff has passed, however many callers ask.
 */
class CorpSecretTokenProviderTest {

    private final WecomSimulator simulator = WecomSimulator.builder().port(0)
            .dataSet(DataSet.generate(DataSetSpec.small())).latency(Duration.ofMillis(50)).build().start();
    /** The provider's clock, moved by the test; the simulator's token lifetimes run on real time. */
    private final MovableClock clock = new MovableClock(Instant.parse("2025-10-01T00:00:00Z").getEpochSecond());
    private final WecomClientFactory factory = new WecomClientFactory(clock);

    @AfterEach
    void stop() throws Exception {
        factory.close();
        simulator.close();
    }

    private ClientSettings settings(String secret) {
        return new ClientSettings(simulator.baseUrl(),
                ClientSettings.Credentials.ofSecret(WecomSimulator.DEFAULT_CORP_ID, secret),
                new ClientSettings.Retries(2, Duration.ofMillis(10), Duration.ofMillis(50)),
                new ClientSettings.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)), 0, 4);
    }

    /** 16 threads ask {@code tokens} for the token at the same moment; their answers, to come. */
    private static List<Future<String>> askAtOnce(AccessTokenProvider tokens) {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return tokens.getAccessToken();
            }));
        }
        go.countDown();
        pool.shutdown(); // the threads end once they have answered
        return answers;
    }

    @Test
    void manyWaitingCallersShareOneRefresh() throws Exception {
        AccessTokenProvider tokens = factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET));
        Set<String> distinct = new HashSet<>();
        for (Future<String> answer : askAtOnce(tokens)) {
            distinct.add(answer.get());
        }

        assertThat(distinct).hasSize(1);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(1);
    }

    @Test
    void manyWaitingCallersShareOneRefusal() throws Exception {
        AccessTokenProvider tokens = factory.tokenProvider(settings("wrong-secret-0123"));
        for (Future<String> answer : askAtOnce(tokens)) {
            assertThat(answer).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                    .havingRootCause().isInstanceOf(WecomApiException.class).withMessageContaining("errcode=40001");
        }

        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(1);
    }

    @Test
    void callersThatWaitedWhileGettokenFailedShareItsFailureInsteadOfRetryingInTurn() throws Exception {
        AccessTokenProvider tokens = factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET));
        // every call of the first caller and its 2 retries fails: a server that is down
        simulator.faults().failNext(Api.GETTOKEN, Fault.HTTP_502, 3);
        for (Future<String> answer : askAtOnce(tokens)) {
            assertThat(answer).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                    .havingRootCause().isInstanceOf(WecomApiException.class).withMessageContaining("HTTP status 502");
        }

        assertThat(simulator.counters().calls(Api.GETTOKEN)).as("one caller's attempts, not one series per caller")
                .isEqualTo(3);
        assertThat(tokens.getAccessToken()).as("the next caller asks again").isNotEmpty();
    }

    @Test
    void refusedGettokenWaitsTwiceAsLongEachTimeUpToAnHour() {
        AccessTokenProvider tokens = factory.tokenProvider(settings("wrong-secret-0123"));
        List<Long> waitedMinutes = new ArrayList<>();
        assertThatThrownBy(tokens::getAccessToken).isInstanceOf(WecomApiException.class);
        for (int refusal = 1; refusal <= 8; refusal++) {
            long calls = simulator.counters().calls(Api.GETTOKEN);
            long minutes = 0;
            do {
                clock.advance(Duration.ofMinutes(1));
                minutes++;
                assertThatThrownBy(tokens::getAccessToken).isInstanceOf(WecomApiException.class)
                        .hasMessageContaining("errcode=40001");
            } while (simulator.counters().calls(Api.GETTOKEN) == calls && minutes <= 120);
            assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(calls + 1);
            waitedMinutes.add(minutes);
        }

        assertThat(waitedMinutes).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L);
    }

    @Test
    void aTokenEndsTheBackoffAndTheNextRefusalWaitsAMinuteAgain() {
        AccessTokenProvider tokens = factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET));
        simulator.faults().failNext(Api.GETTOKEN, Fault.IP_NOT_TRUSTED, 1);
        Instant refusedAt = clock.instant();
        assertThatThrownBy(tokens::getAccessToken).hasMessageContaining("errcode=60020");

        clock.advance(Duration.ofSeconds(59));
        assertThatThrownBy(tokens::getAccessToken).hasMessageContaining("errcode=60020")
                .hasMessageContaining("refused at " + refusedAt)
                .hasMessageContaining("not asked again before " + refusedAt.plusSeconds(60));
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.getAccessToken()).isNotEmpty();
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(2);

        clock.advance(Duration.ofHours(2)); // the token is due for its refresh
        simulator.faults().failNext(Api.GETTOKEN, Fault.IP_NOT_TRUSTED, 1);
        Instant refusedAgainAt = clock.instant();
        assertThatThrownBy(tokens::getAccessToken).hasMessageContaining("errcode=60020");
        assertThatThrownBy(tokens::getAccessToken)
                .hasMessageContaining("not asked again before " + refusedAgainAt.plusSeconds(60));
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(3);
    }

    @Test
    void sameCorpAndSecretShareTheProviderOthersDoNot() {
        assertThat(factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET)))
                .isSameAs(factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET)))
                .isNotSameAs(factory.tokenProvider(settings("another-secret")));
    }

    @Test
    void invalidatedTokenIsFetchedAgainAndAnExpiredOneReplaced() {
        AccessTokenProvider tokens = factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET));
        String first = tokens.getAccessToken();
        assertThat(tokens.getAccessToken()).isEqualTo(first);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(1);

        simulator.expireAllTokens();
        tokens.invalidate(first);
        String second = tokens.getAccessToken();

        assertThat(second).isNotEqualTo(first);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(2);
        tokens.invalidate(first); // a stale rejection does not drop the new token
        assertThat(tokens.getAccessToken()).isEqualTo(second);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(2);
    }

    @Test
    void tokenIsRefreshedBeforeItExpires() {
        simulator.setTokenTtl(Duration.ofSeconds(1000)); // refresh due at 90 %: after 900 s
        AccessTokenProvider tokens = factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET));
        String first = tokens.getAccessToken();
        clock.advance(Duration.ofSeconds(899));
        assertThat(tokens.getAccessToken()).isEqualTo(first);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).as("gettoken calls before 90 %").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2)); // past 90 % of the lifetime, before it expires
        assertThat(tokens.getAccessToken()).as("WeCom hands out the valid token again").isEqualTo(first);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).as("gettoken calls past 90 %").isEqualTo(2);

        simulator.expireAllTokens();
        clock.advance(Duration.ofSeconds(100)); // past the end of the lifetime
        String later = tokens.getAccessToken();

        assertThat(later).isNotEqualTo(first);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "NON_JSON", "TRUNCATED_JSON", "WRONG_TYPES", "MISSING_FIELDS",
            "EMPTY_BODY", "HTTP_502" })
    void garbledGettokenAnswerIsAskedAgain(Fault fault) {
        AccessTokenProvider tokens = factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET));
        simulator.faults().failNext(Api.GETTOKEN, fault, 1);

        assertThat(tokens.getAccessToken()).isNotEmpty();
        assertThat(simulator.counters().faults(fault)).isEqualTo(1);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(2);
    }

    @Test
    void gettokenAnswerWithoutATokenFailsOnceRetriesRunOutAndIsNoRefusal() {
        AccessTokenProvider tokens = factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET));
        simulator.faults().failNext(Api.GETTOKEN, Fault.MISSING_FIELDS, 3);

        assertThatThrownBy(tokens::getAccessToken).isInstanceOf(WecomApiException.class)
                .hasMessageContaining("access_token or expires_in").hasMessageContaining("gave up after 3 attempts")
                .hasMessageNotContaining(WecomSimulator.DEFAULT_CORP_SECRET);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(3);
        // no backoff: the next caller asks at once
        assertThat(tokens.getAccessToken()).isNotEmpty();
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(4);
    }
}
