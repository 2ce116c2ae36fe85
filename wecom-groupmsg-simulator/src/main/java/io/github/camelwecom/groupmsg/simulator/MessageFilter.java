package io.github.camelwecom.groupmsg.simulator;

/**
 * The message selection of get_groupmsg_list_v2, shared by the server and the ground truth.
 *
 * @param creator null for any creator
 * @param filterType 0 enterprise-created, 1 personal, 2 all
 */
record MessageFilter(ChatType chatType, long start, long end, String creator, int filterType) {

    /** Validates ground-truth arguments, which use the API's wire values. */
    static MessageFilter of(String chatType, long startInclusive, long endInclusive, String creator, int filterType) {
        ChatType type = ChatType.fromWire(chatType);
        if (type == null) {
            throw new IllegalArgumentException("chatType must be \"single\" or \"group\": " + chatType);
        }
        if (filterType < 0 || filterType > 2) {
            throw new IllegalArgumentException("filterType must be 0, 1 or 2: " + filterType);
        }
        return new MessageFilter(type, startInclusive, endInclusive, creator, filterType);
    }

    /** Whether a message in the time range also passes the creator and filter_type conditions. */
    boolean matches(Message m) {
        return (creator == null || creator.equals(m.creator)) && (filterType == 2 || m.createType == filterType);
    }
}
