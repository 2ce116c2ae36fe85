package io.github.camelwecom.groupmsg.client;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.camelwecom.groupmsg.client.model.Attachment;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A page answer as WeCom's bytes become records: a record that does not fit its class keeps its class, its odd fields
 * null and kept raw, and costs neither its page nor its neighbours; an answer without records is an empty last page
 * only when nothing says more records follow.
 */
class PageReaderTest {

    private final ObjectMapper mapper = WecomClientFactory.newObjectMapper();

    private <T> Page<T> read(GroupMsgApi api, Class<T> type, String json) {
        return read(api, type, 200, json);
    }

    private <T> Page<T> read(GroupMsgApi api, Class<T> type, int status, String body) {
        return new PageReader<>(mapper, api, type)
                .read(new HttpTransport.Response(status, body.getBytes(StandardCharsets.UTF_8)));
    }

    private <T> WecomApiException failure(GroupMsgApi api, Class<T> type, String json) {
        return catchThrowableOfType(WecomApiException.class, () -> read(api, type, json));
    }

    /** The record as the route would write it out: what WeCom sent, nothing lost. */
    private void assertWrittenBackAsItCame(Object record, String json) throws Exception {
        assertThat(mapper.readTree(mapper.writeValueAsString(record))).isEqualTo(mapper.readTree(json));
    }

    @Test
    void attachmentWithAnOddPayloadKeepsItRawAndThePageGoesOn() throws Exception {
        String odd = """
                {"msgid":"m2","creator":"lisi","attachments":[{"msgtype":"image","image":""},
                 {"msgtype":"link","link":{"title":"t","url":"https://example.com"}}],
                 "text":{"content":"after the odd field"},"create_time":1756700002}""";
        Page<GroupMsg> page = read(GroupMsgApi.LIST, GroupMsg.class, """
                {"errcode":0,"errmsg":"ok","group_msg_list":[
                 {"msgid":"m1","creator":"zhangsan","create_time":1756700001},
                 %s,
                 {"msgid":"m3","attachments":[{"msgtype":"image","image":{"media_id":"M3"}}]}],
                 "next_cursor":"c2"}""".formatted(odd));

        assertThat(page.records()).extracting(GroupMsg::getMsgid).containsExactly("m1", "m2", "m3");
        assertThat(page.nextCursor()).isEqualTo("c2");
        GroupMsg m2 = page.records().get(1);
        Attachment image = m2.getAttachments().get(0);
        assertThat(image.getMsgtype()).isEqualTo("image");
        assertThat(image.getImage()).isNull();
        assertThat(image.getPayload()).isEqualTo(TextNode.valueOf(""));
        assertThat(m2.getAttachments().get(1).getLink().getUrl()).isEqualTo("https://example.com");
        assertThat(m2.getText().getContent()).isEqualTo("after the odd field");
        assertThat(m2.getCreateTime()).isEqualTo(1756700002L);
        assertWrittenBackAsItCame(m2, odd);
        assertThat(page.records().get(2).getAttachments().get(0).getImage().getMediaId()).isEqualTo("M3");
    }

    @Test
    void taskWithASendTimeThatIsNoTimeKeepsItRaw() throws Exception {
        String odd = "{\"userid\":\"u1\",\"status\":2,\"send_time\":\"not a time\"}";
        Page<GroupMsgTask> page = read(GroupMsgApi.TASK, GroupMsgTask.class,
                "{\"errcode\":0,\"errmsg\":\"ok\",\"task_list\":[" + odd
                        + ",{\"userid\":\"u2\",\"status\":2,\"send_time\":1756700100}]}");

        GroupMsgTask task = page.records().get(0);
        assertThat(task.getUserid()).isEqualTo("u1");
        assertThat(task.getStatus()).isEqualTo(2);
        assertThat(task.getSendTime()).isNull();
        assertThat(task.getUnknownField("send_time")).isEqualTo(TextNode.valueOf("not a time"));
        assertWrittenBackAsItCame(task, odd);
        assertThat(page.records().get(1).getSendTime()).isEqualTo(1756700100L);
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void sendResultWithAnObjectForStatusKeepsItRaw() throws Exception {
        // the odd field first, so that binding stops at the record's start and the reader must find its end
        String odd = "{\"status\":{\"odd\":true,\"deeper\":[{\"a\":1}]},\"external_userid\":\"wm1\",\"userid\":\"u1\","
                + "\"send_time\":1756700200}";
        Page<GroupMsgSendResult> page = read(GroupMsgApi.RESULT, GroupMsgSendResult.class,
                "{\"errcode\":0,\"errmsg\":\"ok\",\"send_list\":[" + odd
                        + ",{\"external_userid\":\"wm2\",\"userid\":\"u1\",\"status\":1}],\"next_cursor\":\"\"}");

        GroupMsgSendResult result = page.records().get(0);
        assertThat(result.getStatus()).isNull();
        assertThat(result.getExternalUserid()).isEqualTo("wm1");
        assertThat(result.getSendTime()).isEqualTo(1756700200L);
        assertThat(result.getUnknownField("status").path("odd").asBoolean()).isTrue();
        assertWrittenBackAsItCame(result, odd);
        assertThat(page.records().get(1).getExternalUserid()).isEqualTo("wm2");
        assertThat(page.records().get(1).getStatus()).isEqualTo(1);
    }

    @Test
    void everyRecordOddIsStillEveryRecord() {
        StringBuilder json = new StringBuilder("{\"errcode\":0,\"task_list\":[");
        for (int i = 0; i < 50; i++) {
            json.append(i == 0 ? "" : ",").append("{\"userid\":\"u").append(i).append("\",\"status\":[]}");
        }
        Page<GroupMsgTask> page = read(GroupMsgApi.TASK, GroupMsgTask.class, json + "]}");

        assertThat(page.records()).hasSize(50).allSatisfy(t -> {
            assertThat(t.getStatus()).isNull();
            assertThat(t.getUnknownField("status").isArray()).isTrue();
        });
        assertThat(page.records().get(49).getUserid()).isEqualTo("u49");
    }

    @Test
    void recordThatIsNotAnObjectIsRefusedClearly() {
        WecomApiException e = failure(GroupMsgApi.RESULT, GroupMsgSendResult.class,
                "{\"errcode\":0,\"send_list\":[{\"userid\":\"u1\",\"status\":1},\"u2\"]}");

        assertThat(e.isRetriable()).isTrue();
        assertThat(e.getMessage()).contains("get_groupmsg_send_result")
                .contains("record 1 of send_list is not a JSON object but a string");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"errcode\":0,\"errmsg\":\"ok\"}",
            "{\"errcode\":0,\"errmsg\":\"ok\",\"next_cursor\":\"\"}",
            "{\"errcode\":0,\"task_list\":null,\"next_cursor\":null}" })
    void noRecordsAndNoNextCursorIsAnEmptyLastPage(String json) {
        Page<GroupMsgTask> page = read(GroupMsgApi.TASK, GroupMsgTask.class, json);

        assertThat(page.records()).isEmpty();
        assertThat(page.nextCursor()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"errcode\":0,\"task_list\":\"[]\"}", "{\"errcode\":0,\"task_list\":{\"0\":{}}}",
            "{\"errcode\":0,\"next_cursor\":\"c2\"}", "{}" })
    void recordsOfTheWrongTypeOrMissingBeforeANextPageAreGarbled(String json) {
        WecomApiException e = failure(GroupMsgApi.TASK, GroupMsgTask.class, json);

        assertThat(e.isRetriable()).isTrue();
        assertThat(e.getErrcode()).isEqualTo(WecomApiException.NO_ERRCODE);
        assertThat(e.getMessage()).contains("garbled answer").contains("task_list");
    }

    @Test
    void oddRecordBoundFieldByFieldReadsBackIntoTheSameRecord() throws Exception {
        String odd = "{\"msgid\":\"m\",\"create_type\":\"enterprise\",\"attachments\":\"none\",\"text\":[1]}";
        GroupMsg msg = read(GroupMsgApi.LIST, GroupMsg.class,
                "{\"errcode\":0,\"group_msg_list\":[" + odd + "]}").records().get(0);

        assertThat(msg.getCreateType()).isNull();
        assertThat(msg.getAttachments()).isEmpty();
        assertThat(msg.getText()).isNull();
        assertThat(msg.getUnknownFields()).containsOnlyKeys("create_type", "attachments", "text");
        JsonNode written = mapper.readTree(mapper.writeValueAsString(msg));
        assertThat(written).isEqualTo(mapper.readTree(odd));
    }

    @Test
    void wecomErrorWinsOverTheRestOfTheAnswer() {
        WecomApiException e = failure(GroupMsgApi.TASK, GroupMsgTask.class,
                "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\",\"next_cursor\":5}");

        assertThat(e.getErrcode()).isEqualTo(45009);
        assertThat(e.getErrmsg()).isEqualTo("api freq out of limit");
        assertThat(e.isRetriable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "[]", "<html>busy</html>", "{\"errcode\":\"0\",\"task_list\":[]}",
            "{\"errcode\":0,\"task_list\":[{\"userid\":\"u1\"}" })
    void answerThatIsNotWecomsIsGarbledAndAskedAgain(String body) {
        WecomApiException e = failure(GroupMsgApi.TASK, GroupMsgTask.class, body);

        assertThat(e.isRetriable()).isTrue();
        assertThat(e.getErrcode()).isEqualTo(WecomApiException.NO_ERRCODE);
        assertThat(e.getMessage()).contains("get_groupmsg_task").contains("garbled answer");
    }

    @Test
    void httpStatusOtherThan200IsRetriedOnlyWhenTheServerMayRecover() {
        WecomApiException notFound = catchThrowableOfType(WecomApiException.class,
                () -> read(GroupMsgApi.LIST, GroupMsg.class, 404, "<html>not found</html>"));
        WecomApiException badGateway = catchThrowableOfType(WecomApiException.class,
                () -> read(GroupMsgApi.LIST, GroupMsg.class, 502, "{\"errcode\":0}"));

        assertThat(notFound.isRetriable()).isFalse();
        assertThat(notFound.getMessage()).contains("HTTP status 404");
        assertThat(badGateway.isRetriable()).isTrue();
        assertThat(badGateway.getMessage()).contains("HTTP status 502");
    }
}
