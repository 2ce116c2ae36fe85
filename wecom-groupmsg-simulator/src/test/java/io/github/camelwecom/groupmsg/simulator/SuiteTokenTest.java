package io.github.camelwecom.groupmsg.simulator;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.simulator.TokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Third-party apps over HTTP: get_suite_token with suite id, secret and the latest ticket; get_corp_token with the
 * suite_access_token and a corp's permanent code; the corp's token taken by the mass-message APIs like gettoken's; a
 * cancelled authorization.
 */
class SuiteTokenTest {
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    private static final String SUITE = "ww-suite";
    private static final String SUITE_SECRET = "suite-secret-0123456789";
    private static final String TICKET = "ticket-1";

    private final WecomSimulator sim = WecomSimulator.builder().dataSet(DATA)
            .suite(SUITE, SUITE_SECRET, TICKET)
            .authorizedCorp(SUITE, "ww-corp-a", "code-a")
            .authorizedCorp(SUITE, "ww-corp-b", "code-b")
            .build().start();
    private final SimClient client = new SimClient(sim);

    @AfterEach
    void stop() {
        sim.close();
    }

    private static ObjectNode suiteBody(String suiteId, String secret, String ticket) {
        return SimClient.body().put("suite_id", suiteId).put("suite_secret", secret).put("suite_ticket", ticket);
    }

    private static ObjectNode corpBody(String corpId, String permanentCode) {
        return SimClient.body().put("auth_corpid", corpId).put("permanent_code", permanentCode);
    }

    private String suiteToken() {
        return client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, SUITE_SECRET, TICKET))
                .get("suite_access_token").asText();
    }

    private String corpToken(String suiteToken, String corpId, String code) {
        JsonNode answer = client.service(Api.CORP_TOKEN, suiteToken, corpBody(corpId, code));
        assertThat(answer.has("access_token")).as(answer.toString()).isTrue();
        return answer.get("access_token").asText();
    }

    private JsonNode listWith(String token) {
        return client.call(Api.LIST, token, SimClient.listBody("single", DATA.startEpochSecond(),
                DATA.startEpochSecond() + 20L * 86400, null, 2, 100));
    }

    @Test
    void suiteTokenIsHandedOutAgainWhileValidAndSuccessHasNoErrcodeAsWecomDocuments() {
        JsonNode first = client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, SUITE_SECRET, TICKET));
        JsonNode again = client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, SUITE_SECRET, TICKET));

        assertThat(first.has("errcode")).as("errcode only on failure").isFalse();
        assertThat(first.get("suite_access_token").asText()).matches("[A-Za-z0-9_-]{32,}");
        assertThat(first.get("expires_in").asLong()).isBetween(7199L, 7200L);
        assertThat(again.get("suite_access_token").asText()).isEqualTo(first.get("suite_access_token").asText());
        assertThat(sim.counters().calls(Api.SUITE_TOKEN)).isEqualTo(2);
        assertThat(sim.counters().successes(Api.SUITE_TOKEN)).isEqualTo(2);
        assertThat(sim.counters().suiteTokensIssued()).isEqualTo(1);
        assertThat(sim.issuedTokens()).contains(first.get("suite_access_token").asText());
    }

    @Test
    void getSuiteTokenRefusesAWrongSuiteSecretOrTicketAndTakesOnlyTheLatestTicket() {
        assertError(client.service(Api.SUITE_TOKEN, null, suiteBody("ww-other", SUITE_SECRET, TICKET)), 40083,
                "invalid suite_id");
        assertError(client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, "wrong", TICKET)), 40001,
                "invalid credential");
        assertError(client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, SUITE_SECRET, "ticket-0")), 40085,
                "invalid suite_ticket");
        assertError(client.service(Api.SUITE_TOKEN, null, SimClient.body().put("suite_id", SUITE)), 40001,
                "invalid credential");

        sim.setSuiteTicket(SUITE, "ticket-2");

        assertError(client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, SUITE_SECRET, TICKET)), 40085,
                "invalid suite_ticket");
        assertThat(client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, SUITE_SECRET, "ticket-2"))
                .has("suite_access_token")).isTrue();
        assertThat(sim.counters().calls(Api.SUITE_TOKEN)).isEqualTo(6);
        assertThat(sim.counters().successes(Api.SUITE_TOKEN)).isEqualTo(1);
    }

    @Test
    void theCorpTokenIsTakenByTheMassMessageApisLikeAGettokenToken() {
        String suiteToken = suiteToken();
        String a = corpToken(suiteToken, "ww-corp-a", "code-a");
        String b = corpToken(suiteToken, "ww-corp-b", "code-b");

        assertThat(a).isNotEqualTo(b).matches("[A-Za-z0-9_-]{32,}");
        assertThat(corpToken(suiteToken, "ww-corp-a", "code-a")).as("handed out again while valid").isEqualTo(a);
        JsonNode page = listWith(a);
        assertThat(page.get("errcode").asInt()).as(page.toString()).isZero();
        assertThat(page.get("group_msg_list").size()).isPositive();
        assertThat(listWith(b).get("group_msg_list")).isEqualTo(page.get("group_msg_list"));
        assertThat(sim.counters().calls(Api.CORP_TOKEN)).isEqualTo(3);
        assertThat(sim.counters().tokensIssued()).as("new access_tokens").isEqualTo(2);
        assertThat(sim.issuedTokens()).contains(a, b);

        sim.expireAllTokens();
        assertError(listWith(a), 42001, "access_token expired");
        assertThat(corpToken(suiteToken(), "ww-corp-a", "code-a")).isNotEqualTo(a);
    }

    @Test
    void getCorpTokenRefusesAnInvalidOrExpiredSuiteTokenAndAWrongPermanentCode() {
        String suiteToken = suiteToken();
        ObjectNode corpA = corpBody("ww-corp-a", "code-a");

        assertError(client.service(Api.CORP_TOKEN, null, corpA), 40082, "invalid suite_access_token");
        assertError(client.service(Api.CORP_TOKEN, "not-a-token", corpA), 40082, "invalid suite_access_token");
        assertError(client.service(Api.CORP_TOKEN, suiteToken, corpBody("ww-corp-a", "code-b")), 40084,
                "invalid permanent_code");
        assertError(client.service(Api.CORP_TOKEN, suiteToken, corpBody("ww-corp-c", "code-a")), 40084,
                "invalid permanent_code");
        assertError(client.service(Api.CORP_TOKEN, suiteToken, SimClient.body()), 40084, "invalid permanent_code");

        sim.expireSuiteTokens();
        assertError(client.service(Api.CORP_TOKEN, suiteToken, corpA), 42009, "suite_access_token expired");
        String renewed = suiteToken();
        assertThat(renewed).isNotEqualTo(suiteToken);
        sim.invalidateSuiteTokens();
        assertError(client.service(Api.CORP_TOKEN, renewed, corpA), 40082, "invalid suite_access_token");
        assertThat(corpToken(suiteToken(), "ww-corp-a", "code-a")).isNotEmpty();
        assertThat(sim.counters().suiteTokensIssued()).isEqualTo(3);
    }

    @Test
    void theServiceApisWantAPostWithAJsonObject() {
        String url = sim.baseUrl() + Api.SUITE_TOKEN.path();
        assertError(SimClient.json(client.send(HttpRequest.newBuilder(URI.create(url)).GET())), 43002,
                "require POST method");
        assertError(SimClient.json(client.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("[1]")))), 47001, "data format error");
    }

    @Test
    void aCancelledAuthorizationRefusesThePermanentCodeAndTheCorpsTokensButNotOtherCorps() {
        String suiteToken = suiteToken();
        String a = corpToken(suiteToken, "ww-corp-a", "code-a");
        String b = corpToken(suiteToken, "ww-corp-b", "code-b");

        sim.cancelAuthorization(SUITE, "ww-corp-a");

        assertError(listWith(a), 40014, "invalid access_token");
        assertError(client.service(Api.CORP_TOKEN, suiteToken, corpBody("ww-corp-a", "code-a")), 40084,
                "invalid permanent_code");
        assertThat(listWith(b).get("errcode").asInt()).isZero();
        assertThatThrownBy(() -> sim.cancelAuthorization(SUITE, "ww-corp-a"))
                .isInstanceOf(IllegalArgumentException.class);

        sim.authorizeCorp(SUITE, "ww-corp-a", "code-a2");
        assertThat(listWith(corpToken(suiteToken, "ww-corp-a", "code-a2")).get("errcode").asInt()).isZero();
    }

    @Test
    void theServiceApisTakeFaultsWhenNamedAndCountTheirCalls() {
        sim.faults().failNext(Api.CORP_TOKEN, Fault.SYSTEM_BUSY, 1).failNext(Api.SUITE_TOKEN, Fault.HTTP_502, 1);
        assertThatThrownBy(this::suiteToken).hasMessageContaining("HTTP 502");
        String suiteToken = suiteToken();
        assertError(client.service(Api.CORP_TOKEN, suiteToken, corpBody("ww-corp-a", "code-a")), -1, "system busy");
        // the default target of faults stays the mass-message APIs
        sim.faults().failNext(null, Fault.SYSTEM_BUSY, 1);
        String a = corpToken(suiteToken, "ww-corp-a", "code-a");
        assertError(listWith(a), -1, "system busy");

        assertThat(sim.counters().calls(Api.SUITE_TOKEN)).isEqualTo(2);
        assertThat(sim.counters().calls(Api.CORP_TOKEN)).isEqualTo(2);
        assertThat(sim.counters().faults(Fault.SYSTEM_BUSY)).isEqualTo(2);
        assertThat(sim.counters().callLog(Api.CORP_TOKEN).stream().map(ApiCall::errcode).toList())
                .isEqualTo(List.of(-1, 0));
    }

    @Test
    void aWrongTypesTokenAnswerHasAStringErrcodeWhereTheSuccessHadNone() {
        sim.faults().failNext(Api.SUITE_TOKEN, Fault.WRONG_TYPES, 3);
        JsonNode asObject = client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, SUITE_SECRET, TICKET));
        JsonNode asNumber = client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, SUITE_SECRET, TICKET));
        JsonNode stringErrcode = client.service(Api.SUITE_TOKEN, null, suiteBody(SUITE, SUITE_SECRET, TICKET));

        assertThat(asObject.get("suite_access_token").isObject()).isTrue();
        assertThat(asNumber.get("suite_access_token").isNumber()).isTrue();
        assertThat(stringErrcode.get("errcode").isTextual()).isTrue();
        assertThat(stringErrcode.get("suite_access_token").isTextual()).isTrue();
    }
}
