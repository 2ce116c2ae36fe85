package io.github.camelwecom.groupmsg.simulator;

/** The simulated WeCom endpoints; counters and fault injection are keyed by these. */
public enum Api {
    GETTOKEN("/cgi-bin/gettoken"),
    LIST("/cgi-bin/externalcontact/get_groupmsg_list_v2"),
    TASK("/cgi-bin/externalcontact/get_groupmsg_task"),
    RESULT("/cgi-bin/externalcontact/get_groupmsg_send_result");

    private final String path;

    Api(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** True for the three mass-message APIs, the default target of fault injection. */
    public boolean isGroupMsg() {
        return this != GETTOKEN;
    }

    /** The API served at a request path, or null when the path is not simulated (HTTP 404). */
    public static Api forPath(String path) {
        for (Api api : values()) {
            if (api.path.equals(path)) {
                return api;
            }
        }
        return null;
    }
}
