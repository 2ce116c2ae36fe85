package io.github.camelwecom.groupmsg.client;

import java.util.List;
import java.util.Set;

/**
 * Every errcode fact the client acts on, in one place: which errcodes are worth repeating, which refuse a token, which
 * are about the app rather than the data asked for, and what to do about those people meet when they set up an export
 * (WeCom's errmsg names the problem, rarely the setting that fixes it). Asked through {@link WecomApiException}; the
 * advice never holds a secret or a token.
 */
final class WecomErrcodes {

    /**
     * system busy, api freq out of limit, api concurrent out of limit, message being dispatched, data version conflict:
     * the same call may succeed a little later.
     */
    static final List<Integer> RETRIABLE = List.of(-1, 45009, 45033, 41063, 6000);

    /** invalid credential, invalid access_token, access_token expired: a fresh access_token may fix these. */
    private static final Set<Integer> TOKEN_REFUSED = Set.of(40001, 40014, 42001);

    /** invalid suite_access_token, suite_access_token expired: a fresh suite token may fix these. */
    private static final Set<Integer> SUITE_TOKEN_REFUSED = Set.of(40082, 42009);

    /** gettoken's answer to a wrong corpsecret (40001) or corpid (40013). */
    private static final Set<Integer> CREDENTIALS_REFUSED = Set.of(40001, 40013);

    /** api freq out of limit: {@link CallBudget#refused} pauses the corp's API before the call is retried. */
    static final int FREQ_LIMIT = 45009;

    /** invalid cursor: the paging starts over. */
    static final int INVALID_CURSOR = 50100;

    /**
     * Errcodes about the app or its credentials, not about the data asked for: every call of the app would get the same
     * answer until someone changes a setting, so asking again (or skipping one message) cannot help.
     */
    private static final Set<Integer> ABOUT_THE_APP = Set.of(40001, 40013, 40014, 40082, 40084, 41001, 42001, 42009,
            48001, 48002, 60020, 301002);

    /** invalid permanent_code: the corp has cancelled the app's authorization. */
    private static final int AUTHORIZATION_CANCELLED = 40084;

    private WecomErrcodes() {
    }

    static boolean isRetriable(int errcode) {
        return RETRIABLE.contains(errcode);
    }

    static boolean isTokenRefused(int errcode) {
        return TOKEN_REFUSED.contains(errcode);
    }

    static boolean isSuiteTokenRefused(int errcode) {
        return SUITE_TOKEN_REFUSED.contains(errcode);
    }

    static boolean isCredentialsRefused(int errcode) {
        return CREDENTIALS_REFUSED.contains(errcode);
    }

    static boolean isInvalidCursor(int errcode) {
        return errcode == INVALID_CURSOR;
    }

    static boolean isAboutTheApp(int errcode) {
        return ABOUT_THE_APP.contains(errcode);
    }

    static boolean isAuthorizationCancelled(int errcode) {
        return errcode == AUTHORIZATION_CANCELLED;
    }

    /** What is left once the errcodes with a meaning of their own are taken out: the data asked for is refused. */
    static boolean isAboutTheMessage(int errcode) {
        return errcode != 0 && !isRetriable(errcode) && !isTokenRefused(errcode) && !isInvalidCursor(errcode)
                && !isAboutTheApp(errcode); // skipping those would mark every message
    }

    /** Advice for {@code errcode} answered by {@code api} (a token API or an API path), or null when there is none. */
    static String advice(String api, int errcode) {
        return errcode == 40001 ? invalidCredentialAdvice(api) : switch (errcode) {
            case 40013 -> "corpId is wrong: use the 企业ID shown in the admin console under 我的企业 > 企业信息";
            case 40014, 42001 -> "the access_token was dropped and fetched again once; if an accessTokenProvider "
                    + "supplies tokens, it must return a current token of this corp";
            case 48002 -> "API forbidden: the app this token belongs to may not call customer-contact APIs; in "
                    + "the admin console add it under 客户与上下游 > 客户联系 > API > 可调用接口的应用, or "
                    + "use the 客户联系 Secret";
            case 60020 -> "this server's IP is not among the app's trusted IPs: add the IP WeCom names in errmsg "
                    + "to the app's 企业可信IP (应用管理 > the app > 开发者接口); a change takes about a minute "
                    + "to apply";
            case 301002 -> "the access_token belongs to another app than this call needs: get the token with the "
                    + "Secret of the app that has customer-contact permission (WeCom's errcode tool "
                    + "https://open.work.weixin.qq.com/devtool/query?e=301002 shows a token's permissions)";
            default -> thirdPartyAdvice(errcode);
        };
    }

    /** 40001 means a wrong secret from a token API, and a refused access_token from any other. */
    private static String invalidCredentialAdvice(String api) {
        if (TokenApi.GETTOKEN.isNamed(api)) {
            return "corpSecret is wrong: use the Secret of the app that may read customer contacts (the 客户联系 "
                    + "Secret, or the app's own Secret), as the admin console shows it";
        }
        if (TokenApi.GET_SUITE_TOKEN.isNamed(api)) {
            return "suite_secret is wrong: use the Secret of the third-party app (or 代开发模板) shown in the "
                    + "service provider's admin console";
        }
        return "WeCom refused the access_token again after a fresh one was fetched: check that corpSecret "
                + "belongs to this corpId";
    }

    /** Errcodes of third-party apps and of the data asked for. */
    private static String thirdPartyAdvice(int errcode) {
        return switch (errcode) {
            case 40084 -> "invalid permanent_code (third-party apps): the corp has cancelled the app's "
                    + "authorization or the code is wrong; the corp must authorize the app again, and the "
                    + "accessTokenProvider must use the new permanent_code";
            case 40082, 42009 -> "the suite_access_token was refused (invalid or expired) after a fresh one was "
                    + "fetched: check the suite's id and secret";
            case 40083 -> "suite_id is wrong: use the 第三方应用 (or 代开发模板) ID shown in the service "
                    + "provider's admin console";
            case 40085 -> "invalid suite_ticket: the suite ticket supplier must return the latest ticket WeCom "
                    + "pushed to the app's callback URL (a new one every 10 minutes, each valid for 30)";
            case 41063 -> "the mass message is still being dispatched: try again later";
            case 60011 -> "no privilege for this data: the app's visible range (可见范围) must include the member; "
                    + "add the member or their department to it";
            default -> null;
        };
    }
}
