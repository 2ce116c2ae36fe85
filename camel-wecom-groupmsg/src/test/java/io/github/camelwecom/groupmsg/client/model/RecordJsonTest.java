package io.github.camelwecom.groupmsg.client.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each body class reads WeCom's JSON and writes the same JSON back (snake_case, nothing lost), so records can be stored
 * as JSON and read into the same class again.
 */
class RecordJsonTest {

    private final ObjectMapper mapper = WecomClientFactory.newObjectMapper();

    private void assertRoundTrip(String json, Class<?> type) throws Exception {
        JsonNode original = mapper.readTree(json);
        Object record = mapper.readValue(json, type);
        String written = mapper.writeValueAsString(record);
        assertThat(mapper.readTree(written)).isEqualTo(original);
        assertThat(mapper.readValue(written, type)).isEqualTo(record);
    }

    @Test
    void groupMsgWithEveryAttachmentType() throws Exception {
        String json =
                """
                        {"msgid":"msgGCAAAXtWyujaWJHDDGi0mAAAA","creator":"zhangsan","create_time":1756700000,"create_type":1,
                         "text":{"content":"新品上市"},
                         "attachments":[
                          {"msgtype":"image","image":{"media_id":"MEDIA_ID","pic_url":"http://p.qpic.cn/pic_wework/1.jpg"}},
                          {"msgtype":"link","link":{"title":"消息标题","picurl":"https://example.com/p.png","desc":"描述","url":"https://example.com"}},
                          {"msgtype":"miniprogram","miniprogram":{"title":"小程序","pic_media_id":"MEDIA_ID2","appid":"wx8bd80126147dfAAA","page":"/path/index"}},
                          {"msgtype":"video","video":{"media_id":"MEDIA_ID3"}},
                          {"msgtype":"file","file":{"media_id":"MEDIA_ID4"}}]}""";
        assertRoundTrip(json, GroupMsg.class);
        GroupMsg msg = mapper.readValue(json, GroupMsg.class);
        assertThat(msg.getCreateTime()).isEqualTo(1756700000L);
        assertThat(msg.getAttachments()).extracting(Attachment::getMsgtype)
                .containsExactly("image", "link", "miniprogram", "video", "file");
        assertThat(msg.getAttachments().get(0).getImage().getPicUrl()).endsWith("1.jpg");
        assertThat(msg.getAttachments().get(2).getMiniprogram().getAppid()).isEqualTo("wx8bd80126147dfAAA");
        assertThat(msg.getAttachments()).allMatch(Attachment::isKnownType);
    }

    @Test
    void unknownAttachmentTypeIsKept() throws Exception {
        String json = """
                {"msgid":"m1","creator":"lisi","create_time":1756700001,"create_type":0,
                 "attachments":[{"msgtype":"channels","channels":{"nickname":"视频号","feed_id":"F1"}}],
                 "new_field":{"x":1}}""";
        assertRoundTrip(json, GroupMsg.class);
        Attachment attachment = mapper.readValue(json, GroupMsg.class).getAttachments().get(0);
        assertThat(attachment.isKnownType()).isFalse();
        assertThat(attachment.getPayload().get("feed_id").asText()).isEqualTo("F1");
    }

    @Test
    void absentAndEmptyAttachmentsAreWrittenBackAsTheyCame() throws Exception {
        assertRoundTrip("{\"msgid\":\"m\",\"create_time\":1}", GroupMsg.class);
        assertRoundTrip("{\"msgid\":\"m\",\"create_time\":1,\"attachments\":[]}", GroupMsg.class);
        assertThat(mapper.readValue("{\"msgid\":\"m\"}", GroupMsg.class).getAttachments()).isEmpty();
    }

    @Test
    void createTimeAsStringIsRead() throws Exception {
        GroupMsg msg = mapper.readValue("{\"msgid\":\"m\",\"create_time\":\"1756700002\"}", GroupMsg.class);
        assertThat(msg.getCreateTime()).isEqualTo(1756700002L);
    }

    @Test
    void task() throws Exception {
        assertRoundTrip("{\"msgid\":\"m1\",\"userid\":\"zhangsan\",\"status\":2,\"send_time\":1756700100}",
                GroupMsgTask.class);
        assertRoundTrip("{\"msgid\":\"m1\",\"userid\":\"lisi\",\"status\":0}", GroupMsgTask.class);
    }

    @Test
    void sendResult() throws Exception {
        assertRoundTrip("{\"msgid\":\"m1\",\"external_userid\":\"wmqfasd1e19278asdasAAAA\",\"userid\":\"zhangsan\","
                + "\"status\":1,\"send_time\":1756700200}",
                GroupMsgSendResult.class);
        assertRoundTrip("{\"msgid\":\"m2\",\"chat_id\":\"wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA\",\"userid\":\"lisi\","
                + "\"status\":1,\"send_time\":1756700300}",
                GroupMsgSendResult.class);
    }
}
