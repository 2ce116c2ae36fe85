package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenTest {
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    private static WecomSimulator sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = WecomSimulator.builder().dataSet(DATA)
                .credentials(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET)
                .credentials("ww-second", "second-secret").build().start();
        client = new SimClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void issuesALongRandomTokenAndHandsItOutAgainWhileValid() throws InterruptedException {
        JsonNode first = client.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET);
        assertThat(first.get("errcode").asInt()).isZero();
        assertThat(first.get("errmsg").asText()).isEqualTo("ok");
        assertThat(first.get("access_token").asText()).matches("[A-Za-z0-9_-]{32,}");
        assertThat(first.get("expires_in").asLong()).isBetween(7199L, 7200L);
        Thread.sleep(1100);
        JsonNode again = client.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET);
        assertThat(again.get("access_token").asText()).isEqualTo(first.get("access_token").asText());
        assertThat(again.get("expires_in").asLong()).isLessThan(first.get("expires_in").asLong());
    }

    @Test
    void eachCorpHasItsOwnToken() {
        JsonNode a = client.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET);
        JsonNode b = client.getToken("ww-second", "second-secret");
        assertThat(b.get("errcode").asInt()).isZero();
        assertThat(b.get("access_token").asText()).isNotEqualTo(a.get("access_token").asText());
        assertThat(sim.credentials()).containsKeys(WecomSimulator.DEFAULT_CORP_ID, "ww-second");
    }

    @Test
    void refusesWrongCredentials() {
        assertError(client.getToken(WecomSimulator.DEFAULT_CORP_ID, "wrong"), 40001, "invalid credential");
        assertError(client.getToken("ww-second", WecomSimulator.DEFAULT_CORP_SECRET), 40001, "invalid credential");
        assertError(client.getToken("ww-unknown", "sim-secret"), 40013, "invalid corpid");
        assertError(client.getToken(null, "sim-secret"), 41002, "corpid missing");
        assertError(client.getToken(WecomSimulator.DEFAULT_CORP_ID, null), 41004, "corpsecret missing");
    }

    @Test
    void groupMsgApisCheckTheToken() {
        var body = SimClient.body().put("msgid", "x");
        assertError(client.call(Api.TASK, null, body), 41001, "access_token missing");
        assertError(client.call(Api.TASK, "not-a-token", body), 40014, "invalid access_token");
        String token = client.token();
        assertThat(client.call(Api.TASK, token, body).get("errcode").asInt()).isEqualTo(40058);
    }

    @Test
    void expiredTokenIsRefusedAndReplaced() throws InterruptedException {
        try (WecomSimulator shortLived = WecomSimulator.builder().dataSet(DATA).tokenTtl(Duration.ofMillis(600))
                .build().start()) {
            SimClient c = new SimClient(shortLived);
            String token = c.token();
            String msgid =
                    DATA.groundTruth().messages("single", DATA.startEpochSecond(), DATA.endEpochSecond(), null, 2)
                            .findFirst().orElseThrow().get("msgid").asText();
            var body = SimClient.body().put("msgid", msgid);
            assertThat(c.call(Api.TASK, token, body).get("errcode").asInt()).isZero();
            Thread.sleep(700);
            assertError(c.call(Api.TASK, token, body), 42001, "access_token expired");
            String renewed = c.token();
            assertThat(renewed).isNotEqualTo(token);
            assertThat(c.call(Api.TASK, renewed, body).get("errcode").asInt()).isZero();
            assertThat(shortLived.counters().tokensIssued()).isEqualTo(2);
        }
    }

    @Test
    void expireAllTokensAndRuntimeTtl() {
        try (WecomSimulator s = WecomSimulator.builder().dataSet(DATA).build().start()) {
            SimClient c = new SimClient(s);
            String token = c.token();
            s.expireAllTokens();
            assertError(c.call(Api.LIST, token, SimClient.body()), 42001, "access_token expired");
            s.setTokenTtl(Duration.ofSeconds(60));
            JsonNode fresh = c.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET);
            assertThat(fresh.get("access_token").asText()).isNotEqualTo(token);
            assertThat(fresh.get("expires_in").asLong()).isBetween(59L, 60L);
            assertThat(s.tokenTtl()).isEqualTo(Duration.ofSeconds(60));
        }
    }

    static void assertError(JsonNode answer, int errcode, String errmsg) {
        assertThat(answer.get("errcode").asInt()).as(answer.toString()).isEqualTo(errcode);
        assertThat(answer.get("errmsg").asText()).isEqualTo(errmsg);
    }
}
