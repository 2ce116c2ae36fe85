package io.github.camelwecom.groupmsg;

import java.util.Map;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import io.github.camelwecom.groupmsg.simulator.Api;
import org.apache.camel.Exchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded export of the whole four-month data set through each api and chat type emits exactly the ground truth, with
 * the contract's headers and batch properties on every record.
 */
class BoundedExportTest extends SimulatorTestSupport {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "list,single", "list,group", "task,single", "task,group", "result,single", "result,group" })
    void exportEqualsGroundTruth(String api, String chatType) throws Exception {
        Collector got = exportAll(uri(api, RANGE + "&chatType=" + chatType));

        ExportAssertions.assertExactly(got.bodies, truth(api, chatType));
        Class<?> bodyType = switch (api) {
            case "list" -> GroupMsg.class;
            case "task" -> GroupMsgTask.class;
            default -> GroupMsgSendResult.class;
        };
        assertThat(got.bodies).allMatch(bodyType::isInstance);
        for (int i = 0; i < got.size(); i++) {
            Map<String, Object> h = got.headers.get(i);
            assertThat(h).containsEntry(WecomGroupMsgConstants.API, api)
                    .containsEntry(WecomGroupMsgConstants.CHAT_TYPE, chatType)
                    .containsEntry(WecomGroupMsgConstants.CHANGE, "NEW");
            assertThat(h.get(WecomGroupMsgConstants.MSG_ID))
                    .isEqualTo(ExportAssertions.json(got.bodies.get(i)).get("msgid").asText());
            long created = (Long) h.get(WecomGroupMsgConstants.CREATE_TIME);
            assertThat(created).isBetween((Long) h.get(WecomGroupMsgConstants.WINDOW_START),
                    (Long) h.get(WecomGroupMsgConstants.WINDOW_END));
            assertThat(created).isBetween(RANGE_START, RANGE_END);
            if (!"list".equals(api)) {
                assertThat(h.get(WecomGroupMsgConstants.USER_ID))
                        .isEqualTo(ExportAssertions.json(got.bodies.get(i)).get("userid").asText());
            }
            Exchange exchange = got.exchanges.get(i);
            int size = exchange.getProperty(Exchange.BATCH_SIZE, Integer.class);
            int index = exchange.getProperty(Exchange.BATCH_INDEX, Integer.class);
            assertThat(index).isLessThan(size);
            assertThat(exchange.getProperty(Exchange.BATCH_COMPLETE, Boolean.class)).isEqualTo(index == size - 1);
        }
        // a 4-month range needs at least 5 windows of 30 days: each one is listed
        assertThat(simulator.counters().calls(Api.LIST)).isGreaterThanOrEqualTo(5);
        assertThat(simulator.counters().tokensIssued()).isEqualTo(1);
    }
}
