package io.github.camelwecom.groupmsg.client;

/**
 * What get_groupmsg_list_v2 selects besides the time window and the page size: chat type, creator and filter type.
 */
public record ListQuery(ChatType chatType, String creator, int filterType) {
}
