package io.github.camelwecom.groupmsg.client.model;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One mass message as get_groupmsg_list_v2 returns it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "msgid", "creator", "create_time", "create_type", "text", "attachments" })
public class GroupMsg extends UnknownFields {

    private String msgid;
    private String creator;
    @JsonProperty("create_time")
    private Long createTime;
    @JsonProperty("create_type")
    private Integer createType;
    private Text text;
    /** Null when WeCom sent no attachments member, so the record is written back exactly as it came. */
    @JsonProperty("attachments")
    private List<Attachment> attachments;

    public String getMsgid() {
        return msgid;
    }

    public void setMsgid(String msgid) {
        this.msgid = msgid;
    }

    public String getCreator() {
        return creator;
    }

    public void setCreator(String creator) {
        this.creator = creator;
    }

    /** Creation time in epoch seconds. */
    public Long getCreateTime() {
        return createTime;
    }

    public void setCreateTime(Long createTime) {
        this.createTime = createTime;
    }

    /** 0 created by the enterprise, 1 by a member. */
    public Integer getCreateType() {
        return createType;
    }

    public void setCreateType(Integer createType) {
        this.createType = createType;
    }

    public Text getText() {
        return text;
    }

    public void setText(Text text) {
        this.text = text;
    }

    /** The attachments; empty when there are none. */
    @JsonIgnore
    public List<Attachment> getAttachments() {
        return attachments == null ? List.of() : attachments;
    }

    @JsonIgnore
    public void setAttachments(List<Attachment> attachments) {
        this.attachments = attachments;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupMsg m && Objects.equals(msgid, m.msgid) && Objects.equals(creator, m.creator)
                && Objects.equals(createTime, m.createTime) && Objects.equals(createType, m.createType)
                && Objects.equals(text, m.text) && Objects.equals(getAttachments(), m.getAttachments())
                && Objects.equals(getUnknownFields(), m.getUnknownFields());
    }

    @Override
    public int hashCode() {
        return Objects.hash(msgid, createTime);
    }

    @Override
    public String toString() {
        return "GroupMsg[msgid=" + msgid + ", creator=" + creator + ", create_time=" + createTime + "]";
    }

    /** The text part of a message. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Text extends UnknownFields {
        private String content;

        public Text() {
        }

        public Text(String content) {
            this.content = content;
        }

        public String getContent() {
            return content;
        }

        public void setContent(String content) {
            this.content = content;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Text t && Objects.equals(content, t.content)
                    && Objects.equals(getUnknownFields(), t.getUnknownFields());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(content);
        }
    }
}
