package io.github.camelwecom.groupmsg.client;

/**
 * The WeCom APIs that hand out tokens: their names (as failures name them), paths, and the field of the answer that
 * holds the token. The token providers call them and the errcode advice tells them apart.
 */
enum TokenApi {

    GETTOKEN("gettoken", "/cgi-bin/gettoken", "access_token"),
    GET_SUITE_TOKEN("get_suite_token", "/cgi-bin/service/get_suite_token", "suite_access_token"),
    GET_CORP_TOKEN("get_corp_token", "/cgi-bin/service/get_corp_token", "access_token");

    private final String apiName;
    private final String path;
    private final String tokenField;

    TokenApi(String apiName, String path, String tokenField) {
        this.apiName = apiName;
        this.path = path;
        this.tokenField = tokenField;
    }

    /** The name a {@link WecomApiException} of this API carries. */
    String apiName() {
        return apiName;
    }

    String path() {
        return path;
    }

    /** The member of the answer that holds the token. */
    String tokenField() {
        return tokenField;
    }

    boolean isNamed(String api) {
        return apiName.equals(api);
    }
}
