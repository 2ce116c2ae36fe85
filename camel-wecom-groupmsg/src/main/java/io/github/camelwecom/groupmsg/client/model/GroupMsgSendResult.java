package io.github.camelwecom.groupmsg.client.model;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One send result of a mass message (get_groupmsg_send_result), with the msgid of the message it belongs to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "msgid", "external_userid", "chat_id", "userid", "status", "send_time" })
public class GroupMsgSendResult extends UnknownFields {

    private String msgid;
    @JsonProperty("external_userid")
    private String externalUserid;
    @JsonProperty("chat_id")
    private String chatId;
    private String userid;
    private Integer status;
    @JsonProperty("send_time")
    private Long sendTime;

    public String getMsgid() {
        return msgid;
    }

    public void setMsgid(String msgid) {
        this.msgid = msgid;
    }

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

    public String getUserid() {
        return userid;
    }

    public void setUserid(String userid) {
        this.userid = userid;
    }

    /** 0 not sent, 1 sent, 2 failed (not a friend), 3 failed (customer got another mass message). */
    public Integer getStatus() {
        return status;
    }

    public void setStatus(Integer status) {
        this.status = status;
    }

    /** Send time in epoch seconds, present once sent. */
    public Long getSendTime() {
        return sendTime;
    }

    public void setSendTime(Long sendTime) {
        this.sendTime = sendTime;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupMsgSendResult r && Objects.equals(msgid, r.msgid)
                && Objects.equals(externalUserid, r.externalUserid) && Objects.equals(chatId, r.chatId)
                && Objects.equals(userid, r.userid) && Objects.equals(status, r.status)
                && Objects.equals(sendTime, r.sendTime) && Objects.equals(getUnknownFields(), r.getUnknownFields());
    }

    @Override
    public int hashCode() {
        return Objects.hash(msgid, externalUserid, chatId, userid);
    }

    @Override
    public String toString() {
        return "GroupMsgSendResult[msgid=" + msgid + ", userid=" + userid + ", external_userid=" + externalUserid
               + ", chat_id=" + chatId + ", status=" + status + "]";
    }
}
