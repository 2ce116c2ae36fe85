package io.github.camelwecom.groupmsg.client;

import java.time.Clock;
import java.time.Duration;
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
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default token provider against the simulator: however many threads ask at once, one gettoken call is made;
 * the token is shared by every client of the same corp and secret; an invalidated token is replaced.
 */
class CorpSecretTokenProviderTest {

    private final WecomSimulator simulator = WecomSimulator.builder().port(0)
            .dataSet(DataSet.generate(DataSetSpec.small())).latency(Duration.ofMillis(50)).build().start();
    private final WecomClientFactory factory = new WecomClientFactory(Clock.systemUTC());

    @AfterEach
    void stop() throws Exception {
        factory.close();
        simulator.close();
    }

    private ClientSettings settings(String secret) {
        return new ClientSettings(simulator.baseUrl(), WecomSimulator.DEFAULT_CORP_ID, secret, null, 2,
                Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(5), 0, 4);
    }

    @Test
    void manyWaitingCallersShareOneRefresh() throws Exception {
        AccessTokenProvider tokens = factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET));
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
        Set<String> distinct = new HashSet<>();
        for (Future<String> answer : answers) {
            distinct.add(answer.get());
        }
        pool.shutdown();

        assertThat(distinct).hasSize(1);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(1);
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
    void tokenIsRefreshedBeforeItExpires() throws Exception {
        simulator.setTokenTtl(Duration.ofSeconds(2));
        AccessTokenProvider tokens = factory.tokenProvider(settings(WecomSimulator.DEFAULT_CORP_SECRET));
        String first = tokens.getAccessToken();
        Thread.sleep(1900); // past 90 % of the lifetime, before the simulator expires it
        tokens.getAccessToken();
        Thread.sleep(300);
        String later = tokens.getAccessToken();

        assertThat(later).isNotEqualTo(first);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isGreaterThanOrEqualTo(2);
    }
}
