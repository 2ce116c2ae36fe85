package io.github.camelwecom.groupmsg.simulator;

/** The simulated WeCom endpoints; counters and fault injection are keyed by these. */
public enum Api {
    GETTOKEN("/cgi-bin/gettoken"),
    LIST("/cgi-bin/externalcontact/get_groupmsg_list_v2"),
    TASK("/cgi-bin/externalcontact/get_groupmsg_task"),
    RESULT("/cgi-bin/externalcontact/get_groupmsg_send_result"),
    /** Third-party apps: suite_id, suite_secret and suite_ticket for a suite_access_token. */
    SUITE_TOKEN("/cgi-bin/service/get_suite_token"),
    /** Third-party apps: a suite_access_token, auth_corpid and permanent_code for the corp's access_token. */
    CORP_TOKEN("/cgi-bin/service/get_corp_token");

    private final String path;

    Api(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** True for the three mass-message APIs, the default target of fault injection. */
    public boolean isGroupMsg() {
        return this == LIST || this == TASK || this == RESULT;
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
