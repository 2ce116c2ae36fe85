package io.github.camelwecom.groupmsg;

import java.util.Map;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The errcodes people meet while setting up an export say what to do, next to WeCom's errcode, errmsg and the api,
 * without the secret or a token; the setup errors are not retried, and from gettoken not asked again for a while.
 */
class ErrcodeAdviceTest extends SimulatorTestSupport {

    /** A phrase of each setup error's advice: the setting to change. */
    private static final Map<Fault, String> ADVICE = Map.of(
            Fault.API_FORBIDDEN, "可调用接口的应用",
            Fault.IP_NOT_TRUSTED, "takes about a minute to apply",
            Fault.NO_APP_PERMISSION, "belongs to another app",
            Fault.INVALID_PERMANENT_CODE, "the corp must authorize the app again");

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "API_FORBIDDEN", "IP_NOT_TRUSTED", "NO_APP_PERMISSION",
            "INVALID_PERMANENT_CODE" })
    void setupErrorOfAnApiSaysWhatToDoAndIsNotRetried(Fault fault) {
        simulator.faults().failNext(Api.LIST, fault, 1);

        WecomApiException e = failure(uri("list", ONE_PAGE_RANGE), null);

        assertThat(e.getErrcode()).isEqualTo(fault.errcode());
        assertThat(e.getApi()).isEqualTo("get_groupmsg_list_v2");
        assertThat(e.getErrmsg()).isEqualTo(fault.errmsg());
        assertThat(e.getMessage()).contains("get_groupmsg_list_v2").contains("errcode=" + fault.errcode())
                .contains(fault.errmsg()).contains(ADVICE.get(fault));
        assertNoSecretNorToken(e);
        assertThat(simulator.counters().calls(Api.LIST)).as("not retried").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "API_FORBIDDEN", "IP_NOT_TRUSTED", "NO_APP_PERMISSION",
            "INVALID_PERMANENT_CODE" })
    void setupErrorOfGettokenSaysWhatToDoAndGettokenIsNotAskedAgainAtOnce(Fault fault) {
        simulator.faults().failNext(Api.GETTOKEN, fault, 1);
        String endpoint = uri("list", ONE_PAGE_RANGE);

        WecomApiException first = failure(endpoint, null);
        WecomApiException second = failure(endpoint, null);

        assertThat(first.getErrcode()).isEqualTo(fault.errcode());
        assertThat(first.getApi()).isEqualTo("gettoken");
        assertThat(first.getMessage()).contains("errcode=" + fault.errcode()).contains(fault.errmsg())
                .contains(ADVICE.get(fault)).doesNotContain("not asked again");
        assertThat(second.getErrcode()).isEqualTo(fault.errcode());
        assertThat(second.getMessage()).contains(fault.errmsg()).contains(ADVICE.get(fault))
                .contains("not asked again before");
        assertNoSecretNorToken(first);
        assertNoSecretNorToken(second);
        assertThat(simulator.counters().calls(Api.GETTOKEN)).isEqualTo(1);
        assertThat(simulator.counters().calls(Api.LIST)).isZero();
    }

    @Test
    void messageStillBeingDispatchedSaysTryAgainLaterOnceRetriesRunOut() {
        String msgid = truth("task", "single").findFirst().orElseThrow().get("msgid").asText();
        simulator.faults().failNext(Api.TASK, Fault.DISPATCHING, 10);

        WecomApiException e = failure(uri("task", ONE_PAGE_RANGE + "&maxRetries=2"), msgid);

        assertThat(e.getErrcode()).isEqualTo(41063);
        assertThat(e.getMessage()).contains("errcode=41063").contains(Fault.DISPATCHING.errmsg())
                .contains("gave up after 3 attempts").contains("try again later");
        assertThat(simulator.counters().calls(Api.TASK)).isEqualTo(3);
    }

    @Test
    void memberOutsideTheVisibleRangeSaysSo() {
        String msgid = truth("task", "single").findFirst().orElseThrow().get("msgid").asText();
        simulator.faults().refuse(Api.TASK, msgid, null, 60011, "no privilege to access/modify contact/party/agent");

        WecomApiException e = failure(uri("task", ONE_PAGE_RANGE), msgid);

        assertThat(e.getErrcode()).isEqualTo(60011);
        assertThat(e.getApi()).isEqualTo("get_groupmsg_task");
        assertThat(e.getMessage()).contains("errcode=60011").contains("no privilege")
                .contains("visible range (可见范围) must include the member");
        assertNoSecretNorToken(e);
    }

    private static void assertNoSecretNorToken(WecomApiException e) {
        assertThat(e.getMessage()).doesNotContain(CORP_SECRET);
        simulator.issuedTokens().forEach(token -> assertThat(e.getMessage()).doesNotContain(token));
    }
}
