package io.github.camelwecom.groupmsg;

import org.apache.camel.spi.Metadata;

/**
 * Headers of the wecom-groupmsg component: set on every record by consumers and producers, and read by producers as
 * overrides of the endpoint options of the same meaning.
 */
public final class WecomGroupMsgConstants {

    @Metadata(description = "The API the record comes from: list, task or result. Output only: an endpoint always "
            + "reads its own api, so records of one endpoint can be routed to another.",
            javaType = "String")
    public static final String API = "CamelWecomGroupMsgApi";
    @Metadata(description = "The msgid of the mass message the record belongs to. Producer input: overrides msgid.",
            javaType = "String")
    public static final String MSG_ID = "CamelWecomGroupMsgMsgId";
    @Metadata(description = "The member (userid) of a task or send-result record. Producer input: overrides userid.",
            javaType = "String")
    public static final String USER_ID = "CamelWecomGroupMsgUserId";
    @Metadata(description = "The chat type the messages were listed with: single or group. Producer input: "
            + "overrides chatType.",
            javaType = "String")
    public static final String CHAT_TYPE = "CamelWecomGroupMsgChatType";
    @Metadata(description = "The create_time of the mass message the record belongs to, in epoch seconds (absent "
            + "when the message was named by msgid).",
            javaType = "Long")
    public static final String CREATE_TIME = "CamelWecomGroupMsgCreateTime";
    @Metadata(description = "The start_time (epoch seconds) of the list query the record was found by; the window "
            + "holds the records created from then.",
            javaType = "Long")
    public static final String WINDOW_START = "CamelWecomGroupMsgWindowStart";
    @Metadata(description = "The end_time (epoch seconds) of the list query the record was found by; the window "
            + "holds the records created before then (the next window starts there, the last one "
            + "ends one second after endTime).",
            javaType = "Long")
    public static final String WINDOW_END = "CamelWecomGroupMsgWindowEnd";
    @Metadata(description = "Producer input: when set (an empty string for the first page), exactly one page is "
            + "returned as a List and this header then holds the next page's cursor (an empty string "
            + "after the last page).",
            javaType = "String")
    public static final String CURSOR = "CamelWecomGroupMsgCursor";
    @Metadata(description = "Start of the exported range, in epoch seconds. Producer input: overrides startTime "
            + "(same formats).",
            javaType = "Long")
    public static final String START_TIME = "CamelWecomGroupMsgStartTime";
    @Metadata(description = "End of the exported range, in epoch seconds (inclusive). Producer input: overrides "
            + "endTime (same formats).",
            javaType = "Long")
    public static final String END_TIME = "CamelWecomGroupMsgEndTime";
    @Metadata(description = "NEW the first time a consumer emits a record, UPDATED when a task or send result it "
            + "emitted before changed its status or send_time.",
            javaType = "String", enums = "NEW,UPDATED")
    public static final String CHANGE = "CamelWecomGroupMsgChange";

    /** Values of {@link #CHANGE}. */
    public static final String CHANGE_NEW = "NEW";
    public static final String CHANGE_UPDATED = "UPDATED";

    private WecomGroupMsgConstants() {
    }
}
