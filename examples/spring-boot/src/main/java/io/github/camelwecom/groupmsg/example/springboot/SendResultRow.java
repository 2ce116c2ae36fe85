package io.github.camelwecom.groupmsg.example.springboot;

import java.util.HashMap;
import java.util.Map;

import io.github.camelwecom.groupmsg.WecomGroupMsgConstants;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import org.apache.camel.Header;

/**
 * A send result as the named parameters of {@code sql/upsert-send-result.sql}: the record's fields under their WeCom
 * names ('' for the absent one of external_userid and chat_id, so the key always matches), and from the headers the
 * chat type, the message's create_time and the change (NEW or UPDATED).
 */
public final class SendResultRow {

    private SendResultRow() {
    }

    public static Map<String, Object> of(GroupMsgSendResult result,
            @Header(WecomGroupMsgConstants.CHAT_TYPE) String chatType,
            @Header(WecomGroupMsgConstants.CREATE_TIME) Long createTime,
            @Header(WecomGroupMsgConstants.CHANGE) String change) {
        Map<String, Object> row = new HashMap<>();
        row.put("msgid", result.getMsgid());
        row.put("userid", result.getUserid());
        row.put("external_userid", result.getExternalUserid() == null ? "" : result.getExternalUserid());
        row.put("chat_id", result.getChatId() == null ? "" : result.getChatId());
        row.put("status", result.getStatus());
        row.put("send_time", result.getSendTime());
        row.put("chat_type", chatType);
        row.put("create_time", createTime);
        row.put("last_change", change == null ? WecomGroupMsgConstants.CHANGE_NEW : change);
        return row;
    }
}
