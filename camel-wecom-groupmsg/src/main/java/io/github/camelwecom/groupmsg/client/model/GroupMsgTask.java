package io.github.camelwecom.groupmsg.client.model;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One member's task of a mass message (get_groupmsg_task), with the msgid of the message it belongs to. Status: 0 not
 * sent, 2 sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "msgid", "userid", "status", "send_time" })
public class GroupMsgTask extends MemberRecord {

    /** Task status: not yet sent. */
    public static final int STATUS_UNSENT = 0;
    /** Task status: sent. */
    public static final int STATUS_SENT = 2;

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupMsgTask t && sameMemberFields(t);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getMsgid(), getUserid());
    }

    @Override
    public String toString() {
        return "GroupMsgTask[msgid=" + getMsgid() + ", userid=" + getUserid() + ", status=" + getStatus()
                + ", send_time=" + getSendTime() + "]";
    }
}
