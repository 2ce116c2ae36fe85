package io.github.camelwecom.groupmsg.simulator;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A naive complete export over HTTP, window by window, equals the ground truth of the whole range. */
class ExportTest {
    private static final long WINDOW = 31L * 86400;

    @Test
    void completeExportOfEveryChatTypeMatchesTheGroundTruth() {
        DataSet data = DataSet.generate(DataSetSpec.small().withUnknownAttachmentType(true));
        GroundTruth truth = data.groundTruth();
        try (WecomSimulator sim = WecomSimulator.builder().dataSet(data).build().start()) {
            SimClient client = new SimClient(sim);
            String token = client.token();
            for (String type : List.of("single", "group")) {
                List<ObjectNode> messages = new ArrayList<>();
                List<ObjectNode> tasks = new ArrayList<>();
                List<ObjectNode> results = new ArrayList<>();
                // windows of 31 days + 1 s would be refused; consecutive inclusive windows must not overlap
                for (long start = data.startEpochSecond(); start <= data.endEpochSecond(); start += WINDOW) {
                    long end = Math.min(start + WINDOW - 1, data.endEpochSecond());
                    messages.addAll(client.pageAll(Api.LIST, token, SimClient.listBody(type, start, end, null, 2, 4),
                            "group_msg_list"));
                }
                for (ObjectNode m : messages) {
                    String msgid = m.get("msgid").asText();
                    for (ObjectNode t : client.pageAll(Api.TASK, token,
                            SimClient.body().put("msgid", msgid).put("limit", 3),
                            "task_list")) {
                        tasks.add(RecordJsonTestSupport.withMsgid(msgid, t));
                        String userid = t.get("userid").asText();
                        client.pageAll(Api.RESULT, token, SimClient.body().put("msgid", msgid).put("userid", userid)
                                .put("limit", 400), "send_list")
                                .forEach(r -> results.add(RecordJsonTestSupport.withMsgid(msgid, r)));
                    }
                }
                long from = data.startEpochSecond();
                long to = data.endEpochSecond();
                assertThat(messages).isEqualTo(truth.messages(type, from, to, null, 2).toList());
                assertThat(tasks).isEqualTo(truth.tasks(type, from, to, null, 2).toList());
                assertThat(results).hasSize((int) truth.countResults(type, from, to, null, 2))
                        .isEqualTo(truth.results(type, from, to, null, 2).toList());
            }
            assertThat(sim.counters().successes(Api.RESULT)).isEqualTo(sim.counters().calls(Api.RESULT));
        }
    }
}
