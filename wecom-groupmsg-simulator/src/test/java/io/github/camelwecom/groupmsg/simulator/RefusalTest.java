package io.github.camelwecom.groupmsg.simulator;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.simulator.TokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-message and per-member refusals: WeCom can refuse one member's data (e.g. 60011) while serving the rest. */
class RefusalTest extends SimulatorTestBase {
    private static final String NO_PRIVILEGE = "no privilege to access/modify contact/party/agent";
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    private static final GroundTruth TRUTH = DATA.groundTruth();
    private static final long FROM = DATA.startEpochSecond();
    private static final long TO = DATA.endEpochSecond();
    /** A single-chat message with at least two tasks, and two of its members. */
    private static final String MSGID = TRUTH.messages("single", FROM, TO, null, 0).map(m -> m.get("msgid").asText())
            .filter(id -> TRUTH.countTasks(id) >= 2).findFirst().orElseThrow();
    private static final List<String> USERS = TRUTH.tasks(MSGID).map(t -> t.get("userid").asText()).toList();
    private static final String OTHER_MSGID = TRUTH.messages("single", FROM, TO, null, 2)
            .map(m -> m.get("msgid").asText()).filter(id -> !id.equals(MSGID)).findFirst().orElseThrow();

    RefusalTest() {
        super(DATA);
    }

    @Test
    void oneMembersResultsAreRefusedUntilAllowed() {
        String refused = USERS.get(0);
        String served = USERS.get(1);
        JsonNode normal = client.call(Api.RESULT, token, result(MSGID, refused));
        sim.faults().refuse(Api.RESULT, MSGID, refused, 60011, NO_PRIVILEGE);

        assertError(client.call(Api.RESULT, token, result(MSGID, refused)), 60011, NO_PRIVILEGE);
        assertError(client.call(Api.RESULT, token, result(MSGID, refused).put("limit", 1).put("cursor", "whatever")),
                60011, NO_PRIVILEGE);
        assertThat(client.call(Api.RESULT, token, result(MSGID, served)).get("errcode").asInt()).isZero();
        assertThat(client.call(Api.RESULT, token, result(OTHER_MSGID, refused)).get("errcode").asInt()).isZero();
        assertThat(client.call(Api.TASK, token, SimClient.body().put("msgid", MSGID)).get("errcode").asInt())
                .as("another API").isZero();
        assertError(client.call(Api.RESULT, "not-a-token", result(MSGID, refused)), 40014, "invalid access_token");

        assertThat(sim.counters().callLog(Api.RESULT)).extracting(ApiCall::errcode)
                .containsExactly(0, 60011, 60011, 0, 0, 40014);
        assertThat(sim.counters().callLog(Api.RESULT)).allSatisfy(c -> assertThat(c.fault()).isNull());
        assertThat(sim.counters().totalFaults()).isZero();

        sim.faults().allow(Api.RESULT, MSGID, refused);
        assertThat(client.call(Api.RESULT, token, result(MSGID, refused))).isEqualTo(normal);
    }

    @Test
    void aNullUseridRefusesEveryMemberAndTheOwnUseridWins() {
        sim.faults().refuse(Api.RESULT, MSGID, null, 60011, NO_PRIVILEGE)
                .refuse(Api.RESULT, MSGID, USERS.get(1), 48002, "api forbidden")
                .refuse(Api.TASK, MSGID, null, 60011, NO_PRIVILEGE);
        assertError(client.call(Api.RESULT, token, result(MSGID, USERS.get(0))), 60011, NO_PRIVILEGE);
        assertError(client.call(Api.RESULT, token, result(MSGID, "nobody99")), 60011, NO_PRIVILEGE);
        assertError(client.call(Api.RESULT, token, result(MSGID, USERS.get(1))), 48002, "api forbidden");
        assertError(client.call(Api.TASK, token, SimClient.body().put("msgid", MSGID)), 60011, NO_PRIVILEGE);

        sim.faults().allow(Api.RESULT, MSGID, USERS.get(1));
        assertError(client.call(Api.RESULT, token, result(MSGID, USERS.get(1))), 60011, NO_PRIVILEGE);
        sim.faults().allow(Api.RESULT, MSGID, null);
        assertThat(client.call(Api.RESULT, token, result(MSGID, USERS.get(1))).get("errcode").asInt()).isZero();
        assertError(client.call(Api.TASK, token, SimClient.body().put("msgid", MSGID)), 60011, NO_PRIVILEGE);

        sim.faults().clear();
        assertThat(client.call(Api.TASK, token, SimClient.body().put("msgid", MSGID)).get("errcode").asInt()).isZero();
    }

    @Test
    void aTaskRefusalForOneUseridNeedsThatUseridInTheBody() {
        sim.faults().refuse(Api.TASK, MSGID, USERS.get(0), 60011, NO_PRIVILEGE);
        assertThat(client.call(Api.TASK, token, SimClient.body().put("msgid", MSGID)).get("errcode").asInt()).isZero();
        assertError(client.call(Api.TASK, token, SimClient.body().put("msgid", MSGID).put("userid", USERS.get(0))),
                60011, NO_PRIVILEGE);
    }

    @Test
    void aRefusedAnswerHasNoRecordsForRecordFaultsToBend() {
        String[] big = bigSingleTask();
        sim.faults().refuse(Api.RESULT, big[0], big[1], 60011, NO_PRIVILEGE).failNext(Api.RESULT, Fault.ODD_RECORD, 1);
        assertError(client.call(Api.RESULT, token, result(big[0], big[1])), 60011, NO_PRIVILEGE);
        assertThat(sim.faults().pending()).isEqualTo(1);
    }

    @Test
    void onlyTaskAndResultRequestsCanBeRefused() {
        for (Api api : List.of(Api.GETTOKEN, Api.LIST)) {
            assertThatThrownBy(() -> sim.faults().refuse(api, MSGID, null, 60011, NO_PRIVILEGE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sim.faults().allow(api, MSGID, null)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> sim.faults().refuse(Api.TASK, null, null, 60011, NO_PRIVILEGE))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> sim.faults().refuse(Api.TASK, MSGID, null, 60011, null))
                .isInstanceOf(NullPointerException.class);
    }

    private static ObjectNode result(String msgid, String userid) {
        return SimClient.body().put("msgid", msgid).put("userid", userid);
    }
}
