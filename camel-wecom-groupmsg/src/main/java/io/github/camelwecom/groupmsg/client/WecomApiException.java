package io.github.camelwecom.groupmsg.client;

import java.util.List;

/**
 * A failed WeCom call: the API, what kind of failure it was, WeCom's errcode and errmsg (or what failed below WeCom),
 * never a secret or an access_token. For the errcodes people meet when setting up an export, the message adds what to
 * do.
 */
public class WecomApiException extends RuntimeException {

    /** errcode used for failures that have no WeCom errcode: HTTP status errors, I/O errors, unreadable bodies. */
    public static final int NO_ERRCODE = Integer.MIN_VALUE;

    /** What failed: WeCom's answer, the HTTP exchange, or the connection to WeCom. */
    public enum Kind {
        /** WeCom answered with an errcode other than 0. */
        ERRCODE,
        /** An HTTP status other than 200. */
        HTTP_STATUS,
        /** An answer that is no WeCom answer: not JSON, fields missing or mistyped, too large, paging without end. */
        BAD_ANSWER,
        /** The base URL's host name does not resolve. */
        UNKNOWN_HOST,
        /** Nothing accepts connections at the base URL's host and port. */
        CONNECTION_REFUSED,
        /** No connection within the connect timeout. */
        CONNECT_TIMEOUT,
        /** Connected, but no complete answer within the response timeout. */
        RESPONSE_TIMEOUT,
        /** Another failure of the connection: reset, closed mid-answer, TLS. */
        NETWORK,
        /** The calling thread was interrupted. */
        INTERRUPTED,
        /** WeCom was not asked: something the call needs is missing (no suite_ticket yet). */
        NOT_ASKED;

        /** Whether no answer came at all: the connection failed or timed out. */
        public boolean isUnreachable() {
            return this == UNKNOWN_HOST || this == CONNECTION_REFUSED || this == CONNECT_TIMEOUT
                    || this == RESPONSE_TIMEOUT || this == NETWORK;
        }
    }

    private final String api;
    private final Kind kind;
    private final int errcode;
    private final String errmsg;
    private final boolean retriable;

    /** A failure without a WeCom errcode; {@code what} says what failed and must hold no secret or token. */
    public WecomApiException(String api, Kind kind, String what, boolean retriable) {
        this(api, kind, NO_ERRCODE, what, retriable, null);
        if (kind == Kind.ERRCODE) {
            throw new IllegalArgumentException("an errcode failure needs its errcode: use ofErrcode");
        }
    }

    private WecomApiException(String api, Kind kind, int errcode, String errmsg, boolean retriable,
            Throwable cause) {
        super(format(api, errcode, errmsg), cause);
        this.api = api;
        this.kind = kind;
        this.errcode = errcode;
        this.errmsg = errmsg;
        this.retriable = retriable;
    }

    /** WeCom's answer {@code errcode} with {@code errmsg}; retriable when the errcode is worth repeating the call. */
    public static WecomApiException ofErrcode(String api, int errcode, String errmsg) {
        return new WecomApiException(api, Kind.ERRCODE, errcode, errmsg, WecomErrcodes.isRetriable(errcode), null);
    }

    /** The same failure with {@code text} after its errmsg (whose corp, what to check). */
    WecomApiException adding(String text) {
        return new WecomApiException(api, kind, errcode, errmsg + text, retriable, getCause());
    }

    /** The same failure, final: the retries allowed are spent. */
    WecomApiException gaveUp(int attempts) {
        return new WecomApiException(api, kind, errcode, errmsg + " (gave up after " + attempts
                + (attempts == 1 ? " attempt)" : " attempts)"), false,
                getCause());
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

    /** What failed: WeCom's answer ({@link Kind#ERRCODE}), the HTTP exchange, or the connection. */
    public Kind getKind() {
        return kind;
    }

    /** Whether no answer came at all: the connection failed or timed out. */
    public boolean isUnreachable() {
        return kind.isUnreachable();
    }

    /**
     * Whether WeCom says the corp no longer lets the app in (a third-party app's authorization was cancelled: 40084
     * invalid permanent_code): nothing the app does brings the data back until the corp authorizes it anew.
     */
    public boolean isAuthorizationCancelled() {
        return WecomErrcodes.isAuthorizationCancelled(errcode);
    }

    /**
     * Whether WeCom's answer is about the app or its credentials (wrong secret, IP not trusted, API not allowed): every
     * call of the app gets it until someone changes a setting.
     */
    public boolean isAboutTheApp() {
        return WecomErrcodes.isAboutTheApp(errcode);
    }

    /** Whether WeCom's answer is about the message (or member) asked for, not about the app or the network. */
    public boolean isAboutTheMessage() {
        return kind == Kind.ERRCODE && WecomErrcodes.isAboutTheMessage(errcode);
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
     * The errcodes a call is repeated on, each of them answered by WeCom (for a metric per errcode); failures without
     * an errcode (HTTP, network, garbled answers) are repeated too.
     */
    public static List<Integer> retriedErrcodes() {
        return WecomErrcodes.RETRIABLE;
    }
}
