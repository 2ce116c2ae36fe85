package io.github.camelwecom.groupmsg.simulator;

/** WeCom's chat_type: mass messages to single customers or to customer group chats. */
public enum ChatType {
    SINGLE("single"),
    GROUP("group");

    private final String wireName;

    ChatType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses the wire name; returns null for anything else so callers decide how to reject it. */
    public static ChatType fromWire(String value) {
        for (ChatType t : values()) {
            if (t.wireName.equals(value)) {
                return t;
            }
        }
        return null;
    }
}
