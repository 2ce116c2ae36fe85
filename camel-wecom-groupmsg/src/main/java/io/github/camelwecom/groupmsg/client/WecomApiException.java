package io.github.camelwecom.groupmsg.client;

import java.util.List;

/**
 * A failed WeCom call: the API, WeCom's errcode and errmsg (or the HTTP/transport failure), never a secret or an
 * access_token. For the errcodes people meet when setting up an export, the message adds what to do.
 */
public class WecomApiException extends RuntimeException {

    /** errcode used for failures that have no WeCom errcode: HTTP status errors, I/O errors, unreadable bodies. */
    public static final int NO_ERRCODE = Integer.MIN_VALUE;

    private final String api;
    private final int errcode;
    private final String errmsg;
    private final boolean retriable;

    public WecomApiException(String api, int errcode, String errmsg, boolean retriable, Throwable cause) {
        super(format(api, errcode, errmsg), cause);
        this.api = api;
        this.errcode = errcode;
        this.errmsg = errmsg;
        this.retriable = retriable;
    }

    public WecomApiException(String api, int errcode, String errmsg) {
        this(api, errcode, errmsg, false, null);
    }

    private static String format(String api, int errcode, String errmsg) {
        if (errcode == NO_ERRCODE) {
            return "WeCom " + api + " failed: " + errmsg;
        }
        String advice = WecomErrcodes.advice(api, errcode);
        return "WeCom " + api + " failed: errcode=" + errcode + ", errmsg=" + errmsg
               + (advice == null ? "" : "; " + advice);
    }

    /** The WeCom call that failed: gettoken or an API path such as get_groupmsg_task. */
    public String getApi() {
        return api;
    }

    /** WeCom's errcode, or {@link #NO_ERRCODE} when the failure was below WeCom (HTTP, network, body). */
    public int getErrcode() {
        return errcode;
    }

    public String getErrmsg() {
        return errmsg;
    }

    /** Whether no answer came at all: the connection failed or timed out. */
    public boolean isUnreachable() {
        return errcode == NO_ERRCODE && errmsg.startsWith(WecomAnswer.IO_FAILURE);
    }

    /**
     * Whether WeCom says the corp no longer lets the app in (a third-party app's authorization was cancelled: 40084
     * invalid permanent_code): nothing the app does brings the data back until the corp authorizes it anew.
     */
    public boolean isAuthorizationCancelled() {
        return WecomErrcodes.isAuthorizationCancelled(errcode);
    }

    /**
     * Whether WeCom's answer is about the app or its credentials (wrong secret, IP not trusted, API not allowed):
     * every call of the app gets it until someone changes a setting.
     */
    public boolean isAboutTheApp() {
        return WecomErrcodes.isAboutTheApp(errcode);
    }

    /** Whether WeCom's answer is about the message (or member) asked for, not about the app or the network. */
    public boolean isAboutTheMessage() {
        return errcode != NO_ERRCODE && WecomErrcodes.isAboutTheMessage(errcode);
    }

    /** Whether WeCom refused the cursor: the paging starts over. */
    public boolean isInvalidCursor() {
        return WecomErrcodes.isInvalidCursor(errcode);
    }

    /** Whether the same call may succeed when repeated (what the retry policy acts on). */
    public boolean isRetriable() {
        return retriable;
    }

    /** Whether WeCom refused the access_token of an API call: a fresh token may get the call through. */
    boolean isTokenRefused() {
        return WecomErrcodes.isTokenRefused(errcode);
    }

    /** Whether WeCom refused the suite_access_token get_corp_token was called with. */
    boolean isSuiteTokenRefused() {
        return WecomErrcodes.isSuiteTokenRefused(errcode);
    }

    /** Whether gettoken refused the corpId or corpSecret. */
    boolean isCredentialsRefused() {
        return WecomErrcodes.isCredentialsRefused(errcode);
    }

    /**
     * The errcodes a call is repeated on, each of them answered by WeCom (for a metric per errcode); failures
     * without an errcode (HTTP, network, garbled answers) are repeated too.
     */
    public static List<Integer> retriedErrcodes() {
        return WecomErrcodes.RETRIABLE;
    }
}
