package io.github.camelwecom.groupmsg.export;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.export.EngineHarness.DATA;
import static io.github.camelwecom.groupmsg.export.EngineHarness.DAY;
import static io.github.camelwecom.groupmsg.export.EngineHarness.END;
import static io.github.camelwecom.groupmsg.export.EngineHarness.START;
import static io.github.camelwecom.groupmsg.export.EngineHarness.emitted;
import static io.github.camelwecom.groupmsg.export.EngineHarness.pass;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What WeCom refuses for one message or member does not hold up the rest: the engine tells the refusal once, tells each
 * retry WeCom refuses again as a repeat (also after a restart from its state), and tells the recovery when a retry
 * reads it, which hands on exactly what was missing.
 */
class RefusedReadsTest extends EngineTestSupport {

    private static final long NOW = END + DAY;

    @Test
    void aRefusedMemberIsToldOnceThenAsARepeatUntilItRecovers() {
        GroundTruth truth = DATA.groundTruth();
        JsonNode task = truth.tasks("single", START, END, null, 2)
                .filter(t -> truth.countResults(t.get("msgid").asText(), t.get("userid").asText()) > 1)
                .findFirst().orElseThrow();
        String msgid = task.get("msgid").asText();
        String userid = task.get("userid").asText();
        List<JsonNode> member = EngineHarness.json(truth.results(msgid, userid));
        engine.simulator.faults().refuse(Api.RESULT, msgid, userid, 60011, "no privilege");

        Recorder heard = new Recorder();
        FollowingExport export = engine.bounded(GroupMsgApi.RESULT, null, heard);
        List<JsonNode> first = emitted(pass(export, NOW));
        List<JsonNode> rest = EngineHarness.truth(GroupMsgApi.RESULT).stream().filter(r -> !member.contains(r))
                .toList();
        assertThat(first).containsExactlyElementsOf(rest);
        String refused = "result " + msgid + " " + userid + " 60011";
        assertThat(heard.starting("refused")).containsExactly("refused " + refused);
        assertThat(heard.events).last().isEqualTo("pass " + START + ".." + END + " finished unreadable 1");

        // restarted from its state: the engine knows the retry's refusal is a repeat, and a retry is no pass
        FollowingExport restarted = engine.bounded(GroupMsgApi.RESULT, export.state(), heard);
        assertThat(emitted(pass(restarted, NOW))).isEmpty();
        assertThat(emitted(pass(restarted, NOW))).isEmpty();
        assertThat(heard.starting("refused")).containsExactly("refused " + refused, "refused again " + refused,
                "refused again " + refused);
        assertThat(heard.starting("pass")).hasSize(1);

        engine.simulator.faults().allow(Api.RESULT, msgid, userid);
        assertThat(emitted(pass(restarted, NOW))).containsExactlyElementsOf(member);
        assertThat(heard.events).last().isEqualTo("recovered result " + msgid + " " + userid);
        assertThat(restarted.getUnreadable()).isEmpty();
        assertThat(restarted.open(NOW)).as("nothing left to read again").isFalse();
    }

    @Test
    void aRefusedTaskListIsReadAgainWithItsMembersResults() {
        GroundTruth truth = DATA.groundTruth();
        String msgid = truth.messages("single", START, END, null, 2).map(m -> m.get("msgid").asText())
                .filter(id -> truth.tasks(id).count() > 1).skip(3).findFirst().orElseThrow();
        List<JsonNode> message = EngineHarness.json(truth.results(msgid));
        engine.simulator.faults().refuse(Api.TASK, msgid, null, 60011, "no privilege");

        Recorder heard = new Recorder();
        FollowingExport export = engine.bounded(GroupMsgApi.RESULT, null, heard);
        assertThat(emitted(pass(export, NOW))).doesNotContainAnyElementsOf(message);
        assertThat(heard.starting("refused")).containsExactly("refused task " + msgid + " 60011");

        engine.simulator.faults().allow(Api.TASK, msgid, null);
        assertThat(emitted(pass(export, NOW))).containsExactlyElementsOf(message);
        assertThat(heard.events).last().isEqualTo("recovered task " + msgid);
        assertThat(export.getUnreadable()).isEmpty();
    }
}
