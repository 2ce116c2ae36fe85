package io.github.camelwecom.groupmsg.client;

import java.util.Locale;

/**
 * Which mass messages get_groupmsg_list_v2 lists: those sent to customers or those sent to customer group chats.
 */
public enum ChatType {

    SINGLE,
    GROUP;

    /** The chat_type WeCom takes, and the name in URIs and headers: {@code single} or {@code group}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a URI or header value, case-insensitively; null when it names no chat type. */
    public static ChatType fromWireName(String name) {
        for (ChatType type : values()) {
            if (type.wireName().equalsIgnoreCase(name)) {
                return type;
            }
        }
        return null;
    }
}
