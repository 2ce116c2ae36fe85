package io.github.camelwecom.groupmsg;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.github.camelwecom.groupmsg.client.model.Attachment;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attachment type WeCom adds later (here "channels") comes through an export over HTTP: kept, not dropped, not an
 * error, and written back as JSON exactly as WeCom sent it.
 */
class UnknownAttachmentTest extends CamelTestSupport {

    private final DataSet data = DataSet.generate(DataSetSpec.small().withUnknownAttachmentType(true));
    private final WecomSimulator simulator = WecomSimulator.builder().port(0).dataSet(data).build().start();

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void unknownTypeIsKept() {
        String uri = "wecom-groupmsg:list?baseUrl=" + simulator.baseUrl() + "&corpId="
                + WecomSimulator.DEFAULT_CORP_ID + "&corpSecret=" + WecomSimulator.DEFAULT_CORP_SECRET;
        Iterator<?> body = template.request(uri, exchange -> {
            exchange.getMessage().setHeader(WecomGroupMsgConstants.START_TIME, data.startEpochSecond());
            exchange.getMessage().setHeader(WecomGroupMsgConstants.END_TIME, data.endEpochSecond());
        }).getMessage().getBody(Iterator.class);
        List<Object> messages = new ArrayList<>();
        body.forEachRemaining(messages::add);

        List<Attachment> unknown = messages.stream().map(GroupMsg.class::cast)
                .flatMap(m -> m.getAttachments().stream()).filter(a -> !a.isKnownType()).toList();
        assertThat(unknown).isNotEmpty().allSatisfy(a -> {
            assertThat(a.getMsgtype()).isEqualTo("channels");
            assertThat(a.getPayload()).isNotNull();
            assertThat(a.getPayload().isObject()).isTrue();
        });
        ExportAssertions.assertExactly(messages,
                data.groundTruth().messages("single", data.startEpochSecond(), data.endEpochSecond(), null, 2));
    }
}
