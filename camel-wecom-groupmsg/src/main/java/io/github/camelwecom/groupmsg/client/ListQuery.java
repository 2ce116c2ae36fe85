package io.github.camelwecom.groupmsg.client;

/**
 * What get_groupmsg_list_v2 selects, besides the time window: chat type, creator, filter type and page size.
 */
public record ListQuery(String chatType, String creator, int filterType, int limit) {
}
