package io.github.camelwecom.groupmsg.client.model;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One send result of a mass message (get_groupmsg_send_result), with the msgid of the message it belongs to. Status: 0
 * not sent, 1 sent, 2 failed (not a friend), 3 failed (the customer already got another mass message).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "msgid", "external_userid", "chat_id", "userid", "status", "send_time" })
public class GroupMsgSendResult extends MemberRecord {

    @JsonProperty("external_userid")
    private String externalUserid;
    @JsonProperty("chat_id")
    private String chatId;

    /** The customer, for messages sent to customers (chat type single). */
    public String getExternalUserid() {
        return externalUserid;
    }

    public void setExternalUserid(String externalUserid) {
        this.externalUserid = externalUserid;
    }

    /** The customer group chat, for messages sent to groups (chat type group). */
    public String getChatId() {
        return chatId;
    }

    public void setChatId(String chatId) {
        this.chatId = chatId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupMsgSendResult r && sameMemberFields(r)
                && Objects.equals(externalUserid, r.externalUserid) && Objects.equals(chatId, r.chatId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getMsgid(), externalUserid, chatId, getUserid());
    }

    @Override
    public String toString() {
        return "GroupMsgSendResult[msgid=" + getMsgid() + ", userid=" + getUserid() + ", external_userid="
                + externalUserid + ", chat_id=" + chatId + ", status=" + getStatus() + "]";
    }
}
