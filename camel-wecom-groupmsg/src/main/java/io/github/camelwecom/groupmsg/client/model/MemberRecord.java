package io.github.camelwecom.groupmsg.client.model;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a task and a send result share: the message they belong to, the member, a status and the time it was sent.
 */
public abstract class MemberRecord extends UnknownFields {

    private String msgid;
    private String userid;
    private Integer status;
    @JsonProperty("send_time")
    private Long sendTime;

    /** The msgid of the mass message this record belongs to. */
    public String getMsgid() {
        return msgid;
    }

    public void setMsgid(String msgid) {
        this.msgid = msgid;
    }

    /** The member (userid) who sends. */
    public String getUserid() {
        return userid;
    }

    public void setUserid(String userid) {
        this.userid = userid;
    }

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

    boolean sameMemberFields(MemberRecord other) {
        return Objects.equals(msgid, other.msgid) && Objects.equals(userid, other.userid)
                && Objects.equals(status, other.status) && Objects.equals(sendTime, other.sendTime)
                && Objects.equals(getUnknownFields(), other.getUnknownFields());
    }
}
