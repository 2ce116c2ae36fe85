package io.github.camelwecom.groupmsg.client;

import java.util.Locale;

/**
 * The three WeCom mass-message APIs, with the paging limits the API document gives for each.
 */
public enum GroupMsgApi {

    LIST("get_groupmsg_list_v2", "group_msg_list", 100),
    TASK("get_groupmsg_task", "task_list", 1000),
    RESULT("get_groupmsg_send_result", "send_list", 1000);

    private final String path;
    private final String recordsField;
    private final int maxLimit;

    GroupMsgApi(String path, String recordsField, int maxLimit) {
        this.path = path;
        this.recordsField = recordsField;
        this.maxLimit = maxLimit;
    }

    /** The last segment of the API's URL path. */
    public String path() {
        return path;
    }

    /** The JSON member of the answer that holds the page's records. */
    String recordsField() {
        return recordsField;
    }

    /** The largest page size WeCom accepts; our default page size too, since fuller pages mean fewer calls. */
    public int maxLimit() {
        return maxLimit;
    }

    /** The name used in URIs and headers: {@code list}, {@code task} or {@code result}. */
    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a URI name, case-insensitively; null when it names no API. */
    public static GroupMsgApi fromUriName(String name) {
        for (GroupMsgApi api : values()) {
            if (api.uriName().equalsIgnoreCase(name)) {
                return api;
            }
        }
        return null;
    }
}
