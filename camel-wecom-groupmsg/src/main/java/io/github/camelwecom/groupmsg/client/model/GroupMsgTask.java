package io.github.camelwecom.groupmsg.client.model;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One member's task of a mass message (get_groupmsg_task), with the msgid of the message it belongs to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "msgid", "userid", "status", "send_time" })
public class GroupMsgTask extends UnknownFields {

    /** Task status: not yet sent. */
    public static final int STATUS_UNSENT = 0;
    /** Task status: sent. */
    public static final int STATUS_SENT = 2;

    private String msgid;
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

    public String getUserid() {
        return userid;
    }

    public void setUserid(String userid) {
        this.userid = userid;
    }

    /** 0 not sent, 2 sent. */
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
        return o instanceof GroupMsgTask t && Objects.equals(msgid, t.msgid) && Objects.equals(userid, t.userid)
                && Objects.equals(status, t.status) && Objects.equals(sendTime, t.sendTime)
                && Objects.equals(getUnknownFields(), t.getUnknownFields());
    }

    @Override
    public int hashCode() {
        return Objects.hash(msgid, userid);
    }

    @Override
    public String toString() {
        return "GroupMsgTask[msgid=" + msgid + ", userid=" + userid + ", status=" + status + ", send_time=" + sendTime
               + "]";
    }
}
