package io.github.camelwecom.groupmsg.simulator;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.camelwecom.groupmsg.simulator.TokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests here take their own tokens: some expire the one they took. */
class FaultInjectionTest extends SimulatorTestBase {
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    private final ObjectNode listQuery =
            SimClient.listBody("single", DATA.startEpochSecond(), DATA.startEpochSecond() + 31L * 86400, null, 2, 2);

    FaultInjectionTest() {
        super(DATA);
    }

    @BeforeEach
    void slowDelay() {
        sim.faults().slowDelay(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "SYSTEM_BUSY", "FREQ_LIMIT", "CONCURRENT_LIMIT", "DISPATCHING",
            "DATA_VERSION_CONFLICT", "API_FORBIDDEN", "IP_NOT_TRUSTED", "NO_APP_PERMISSION", "INVALID_PERMANENT_CODE" })
    void wecomErrorsAreAnsweredOnceEachAndCounted(Fault fault) {
        String token = client.token();
        sim.faults().failNext(Api.LIST, fault, 2);
        for (int i = 0; i < 2; i++) {
            JsonNode answer = client.call(Api.LIST, token, listQuery);
            assertError(answer, fault.errcode(), fault.errmsg());
        }
        assertThat(client.call(Api.LIST, token, listQuery).get("errcode").asInt()).isZero();
        assertThat(sim.counters().faults(fault)).isEqualTo(2);
        assertThat(sim.counters().calls(Api.LIST)).isEqualTo(3);
        assertThat(sim.counters().successes(Api.LIST)).isEqualTo(1);
        assertThat(sim.faults().pending()).isZero();
    }

    @Test
    void errcodesAreWecoms() {
        assertThat(Fault.SYSTEM_BUSY.errcode()).isEqualTo(-1);
        assertThat(Fault.FREQ_LIMIT.errcode()).isEqualTo(45009);
        assertThat(Fault.CONCURRENT_LIMIT.errcode()).isEqualTo(45033);
        assertThat(Fault.DISPATCHING.errcode()).isEqualTo(41063);
        assertThat(Fault.DATA_VERSION_CONFLICT.errcode()).isEqualTo(6000);
        assertThat(Fault.TOKEN_EXPIRED.errcode()).isEqualTo(42001);
        assertThat(Fault.INVALID_CURSOR.errcode()).isEqualTo(50100);
        assertThat(Fault.RESET.isWecomError()).isFalse();
        assertThat(Fault.API_FORBIDDEN.errcode()).isEqualTo(48002);
        assertThat(Fault.API_FORBIDDEN.errmsg()).isEqualTo("api forbidden");
        assertThat(Fault.IP_NOT_TRUSTED.errcode()).isEqualTo(60020);
        assertThat(Fault.IP_NOT_TRUSTED.errmsg()).isEqualTo("not allow to access from your ip");
        assertThat(Fault.NO_APP_PERMISSION.errcode()).isEqualTo(301002);
        assertThat(Fault.NO_APP_PERMISSION.errmsg()).isEqualTo("not allow operate another agent with this accesstoken");
        assertThat(Fault.INVALID_PERMANENT_CODE.errcode()).isEqualTo(40084);
        assertThat(Fault.INVALID_PERMANENT_CODE.errmsg()).isEqualTo("invalid permanent_code");
    }

    /** Errors of the app's setup, not of one call: gettoken can get them too, and every API. */
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "API_FORBIDDEN", "IP_NOT_TRUSTED", "NO_APP_PERMISSION",
            "INVALID_PERMANENT_CODE" })
    void setupErrorsApplyToEveryApiIncludingGettoken(Fault fault) {
        sim.faults().failNext(Api.GETTOKEN, fault, 1);
        assertError(client.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET),
                fault.errcode(), fault.errmsg());
        String token = client.token();
        sim.faults().failNext(Api.TASK, fault, 1).failNext(Api.RESULT, fault, 1);
        assertError(client.call(Api.TASK, token, SimClient.body().put("msgid", firstMsgid())), fault.errcode(),
                fault.errmsg());
        assertError(client.call(Api.RESULT, token, SimClient.body().put("msgid", firstMsgid()).put("userid", "x")),
                fault.errcode(), fault.errmsg());
        assertThat(sim.counters().faults(fault)).isEqualTo(3);
        assertThat(sim.counters().callLog()).filteredOn(c -> c.fault() == fault)
                .allSatisfy(c -> assertThat(c.answered(fault.errcode())).isTrue()).hasSize(3);
        assertThat(sim.faults().pending()).isZero();
    }

    @Test
    void tokenExpiredReallyInvalidatesTheToken() {
        String token = client.token();
        sim.faults().failNext(Api.TASK, Fault.TOKEN_EXPIRED, 1);
        ObjectNode task = SimClient.body().put("msgid", firstMsgid());
        assertError(client.call(Api.TASK, token, task), 42001, "access_token expired");
        assertError(client.call(Api.TASK, token, task), 42001, "access_token expired");
        String renewed = client.token();
        assertThat(renewed).isNotEqualTo(token);
        assertThat(client.call(Api.TASK, renewed, task).get("errcode").asInt()).isZero();
        assertThat(sim.counters().faults(Fault.TOKEN_EXPIRED)).isEqualTo(1);
    }

    @Test
    void invalidCursorOnlyHitsRequestsWithACursor() {
        String token = client.token();
        sim.faults().failNext(null, Fault.INVALID_CURSOR, 1);
        JsonNode first = client.call(Api.LIST, token, listQuery);
        assertThat(first.get("errcode").asInt()).isZero();
        assertThat(sim.faults().pending()).isEqualTo(1);
        ObjectNode next = listQuery.deepCopy().put("cursor", first.get("next_cursor").asText());
        assertError(client.call(Api.LIST, token, next), 50100, "invalid cursor");
        assertThat(client.call(Api.LIST, token, next).get("errcode").asInt()).isZero();
        assertThat(sim.counters().faults(Fault.INVALID_CURSOR)).isEqualTo(1);
    }

    @Test
    void httpFaults() {
        String token = client.token();
        sim.faults().failNext(Api.RESULT, Fault.HTTP_502, 1).failNext(Api.RESULT, Fault.HTTP_429, 1)
                .failNext(Api.RESULT, Fault.NON_JSON, 1);
        String body = SimClient.body().put("msgid", firstMsgid()).put("userid", "x").toString();
        assertThat(client.post(Api.RESULT, token, body).statusCode()).isEqualTo(502);
        assertThat(client.post(Api.RESULT, token, body).statusCode()).isEqualTo(429);
        HttpResponse<String> html = client.post(Api.RESULT, token, body);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(html.body()).startsWith("<!DOCTYPE html>");
        assertThat(client.post(Api.RESULT, token, body).statusCode()).isEqualTo(200);
        for (Fault f : EnumSet.of(Fault.HTTP_502, Fault.HTTP_429, Fault.NON_JSON)) {
            assertThat(sim.counters().faults(f)).isEqualTo(1);
        }
    }

    @Test
    void resetClosesTheConnectionWithoutAnAnswer() {
        String token = client.token();
        sim.faults().failNext(Api.LIST, Fault.RESET, 1);
        assertThatThrownBy(() -> client.post(Api.LIST, token, listQuery.toString()))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(client.call(Api.LIST, token, listQuery).get("errcode").asInt()).isZero();
        assertThat(sim.counters().faults(Fault.RESET)).isEqualTo(1);
    }

    @Test
    void slowAnswersNormallyAfterTheDelay() {
        String token = client.token();
        sim.faults().slowDelay(Duration.ofMillis(400)).failNext(Api.LIST, Fault.SLOW, 1);
        long t0 = System.nanoTime();
        JsonNode answer = client.call(Api.LIST, token, listQuery);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(answer.get("errcode").asInt()).isZero();
        assertThat(millis).isGreaterThanOrEqualTo(400);
        assertThat(sim.counters().faults(Fault.SLOW)).isEqualTo(1);
        assertThat(sim.counters().successes(Api.LIST)).isEqualTo(1);
    }

    @Test
    void probabilitiesApplyToTheGroupMsgApisOnly() {
        sim.faults().seed(3).probability(Fault.SYSTEM_BUSY, 0.5);
        String token = client.token();
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            if (client.call(Api.LIST, token, listQuery).get("errcode").asInt() == -1) {
                failed++;
            }
        }
        assertThat(failed).isBetween(25, 75);
        assertThat(sim.counters().faults(Fault.SYSTEM_BUSY)).isEqualTo(failed);
        assertThat(sim.counters().calls(Api.GETTOKEN)).isEqualTo(1);
        assertThat(sim.counters().successes(Api.GETTOKEN)).isEqualTo(1);

        sim.faults().probability(Fault.SYSTEM_BUSY, 1.0);
        assertThat(client.call(Api.TASK, token, SimClient.body().put("msgid", firstMsgid())).get("errcode").asInt())
                .isEqualTo(-1);
        assertThat(client.token()).isEqualTo(token);
        sim.faults().clear();
        assertThat(client.call(Api.LIST, token, listQuery).get("errcode").asInt()).isZero();
    }

    @Test
    void gettokenFailsOnlyWhenNamed() {
        sim.faults().failNext(null, Fault.SYSTEM_BUSY, 1);
        assertThat(client.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET).get("errcode")
                .asInt()).isZero();
        assertThat(sim.faults().pending()).isEqualTo(1);
        sim.faults().clear();
        sim.faults().failNext(Api.GETTOKEN, Fault.FREQ_LIMIT, 1);
        assertError(client.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET), 45009,
                "api freq out of limit");
        sim.faults().probability(Api.GETTOKEN, Fault.HTTP_502, 1.0);
        assertThatThrownBy(client::token).hasMessageContaining("HTTP 502");
        assertThat(sim.counters().successes(Api.GETTOKEN)).isEqualTo(1);
    }

    @Test
    void faultsThatCannotApplyAreRefused() {
        assertThatThrownBy(() -> sim.faults().failNext(Api.GETTOKEN, Fault.TOKEN_EXPIRED, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.faults().probability(Api.GETTOKEN, Fault.INVALID_CURSOR, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.faults().probability(Fault.SLOW, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sim.faults().pending()).isZero();
    }

    private static String firstMsgid() {
        return DATA.groundTruth().messages("single", DATA.startEpochSecond(), DATA.endEpochSecond(), null, 2)
                .findFirst().orElseThrow().get("msgid").asText();
    }
}
