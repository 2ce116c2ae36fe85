package io.github.camelwecom.groupmsg.client;

import java.util.Set;

/**
 * What to do about the errcodes people meet when they set up an export: WeCom's errmsg names the problem, rarely the
 * setting that fixes it. Appended to {@link WecomApiException}'s message; never holds a secret or a token.
 */
final class WecomErrcodes {

    /**
     * Errcodes about the app or its credentials, not about the data asked for: every call of the app would get the
     * same answer until someone changes a setting, so asking again (or skipping one message) cannot help.
     */
    private static final Set<Integer> ABOUT_THE_APP = Set.of(40001, 40013, 40014, 40082, 40084, 41001, 42001, 42009,
            48001, 48002, 60020, 301002);

    /** Errcodes that say the corp has cancelled the app's authorization. */
    private static final Set<Integer> AUTHORIZATION_CANCELLED = Set.of(40084);

    private WecomErrcodes() {
    }

    static boolean isAboutTheApp(int errcode) {
        return ABOUT_THE_APP.contains(errcode);
    }

    static boolean isAuthorizationCancelled(int errcode) {
        return AUTHORIZATION_CANCELLED.contains(errcode);
    }

    /** Advice for {@code errcode} answered by {@code api} (gettoken or an API path), or null when there is none. */
    static String advice(String api, int errcode) {
        boolean gettoken = CorpSecretTokenProvider.GETTOKEN.equals(api);
        return switch (errcode) {
            case 40001 -> gettoken
                    ? "corpSecret is wrong: use the Secret of the app that may read customer contacts (the 客户联系 "
                      + "Secret, or the app's own Secret), as the admin console shows it"
                    : WecomSuite.GET_SUITE_TOKEN.equals(api)
                    ? "suite_secret is wrong: use the Secret of the third-party app (or 代开发模板) shown in the "
                      + "service provider's admin console"
                    : "WeCom refused the access_token again after a fresh one was fetched: check that corpSecret "
                      + "belongs to this corpId";
            case 40013 -> "corpId is wrong: use the 企业ID shown in the admin console under 我的企业 > 企业信息";
            case 40014, 42001 -> "the access_token was dropped and fetched again once; if an accessTokenProvider "
                                 + "supplies tokens, it must return a current token of this corp";
            case 48002 -> "API forbidden: the app this token belongs to may not call customer-contact APIs; in the "
                          + "admin console add it under 客户与上下游 > 客户联系 > API > 可调用接口的应用, or use the "
                          + "客户联系 Secret";
            case 60020 -> "this server's IP is not among the app's trusted IPs: add the IP WeCom names in errmsg to "
                          + "the app's 企业可信IP (应用管理 > the app > 开发者接口); a change takes about a minute to apply";
            case 301002 -> "the access_token belongs to another app than this call needs: get the token with the "
                           + "Secret of the app that has customer-contact permission (WeCom's errcode tool "
                           + "https://open.work.weixin.qq.com/devtool/query?e=301002 shows a token's permissions)";
            case 40084 -> "invalid permanent_code (third-party apps): the corp has cancelled the app's authorization "
                          + "or the code is wrong; the corp must authorize the app again, and the "
                          + "accessTokenProvider must use the new permanent_code";
            case 40082, 42009 -> "the suite_access_token was refused (invalid or expired) after a fresh one was "
                                 + "fetched: check the suite's id and secret";
            case 40083 -> "suite_id is wrong: use the 第三方应用 (or 代开发模板) ID shown in the service provider's "
                          + "admin console";
            case 40085 -> "invalid suite_ticket: the suite ticket supplier must return the latest ticket WeCom pushed "
                          + "to the app's callback URL (a new one every 10 minutes, each valid for 30)";
            case 41063 -> "the mass message is still being dispatched: try again later";
            case 60011 -> "no privilege for this data: the app's visible range (可见范围) must include the member; add "
                          + "the member or their department to it";
            default -> null;
        };
    }
}
