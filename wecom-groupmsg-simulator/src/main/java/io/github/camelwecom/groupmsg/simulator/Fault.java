package io.github.camelwecom.groupmsg.simulator;

/**
 * Failures the simulator can inject. Each kind is either a WeCom-level error (HTTP 200 with an errcode), a
 * transport-level failure a real gateway in front of WeCom can produce, or a successful answer whose content is wrong.
 *
 * <p>
 * Which requests a kind applies to: every API, the token APIs included (gettoken, get_suite_token and get_corp_token
 * only when named, as {@code failNext(Api.GETTOKEN, …)} or {@code probability(Api.CORP_TOKEN, …)}), unless its
 * description says otherwise. A request a kind cannot apply to passes untouched and does not use up a
 * {@link FaultInjector#failNext}.
 */
public enum Fault {
    SYSTEM_BUSY(-1, "system busy"),
    FREQ_LIMIT(45009, "api freq out of limit"),
    CONCURRENT_LIMIT(45033, "api concurrent out of limit"),
    DISPATCHING(41063, "the mass message is being dispatched"),
    DATA_VERSION_CONFLICT(6000, "data version conflict"),
    /** Also invalidates the presented token, so only fetching a new one helps. */
    TOKEN_EXPIRED(42001, "access_token expired"),
    /** Only applied to requests that carry a non-empty cursor. */
    INVALID_CURSOR(50100, "invalid cursor"),
    HTTP_502,
    HTTP_429,
    /** HTTP 200 with an HTML body, as an intercepting proxy would answer. */
    NON_JSON,
    /** The connection is closed without any response. */
    RESET,
    /** The normal answer, but only after the configured slow delay. */
    SLOW,
    /**
     * HTTP 200, {@code application/json}, with the first half of the normal answer's JSON: a complete HTTP message
     * (Content-Length matches) whose body does not parse.
     */
    TRUNCATED_JSON,
    /**
     * HTTP 200 with the normal answer in the wrong JSON types. Successive injections take turns: the records field
     * ({@code group_msg_list}, {@code task_list}, {@code send_list}; for the token APIs {@code access_token} or
     * {@code suite_access_token}) as an object keyed "0", "1"…; the records field as a string (the array's JSON text;
     * for a token a number); errcode as a string ("0", added where a success leaves errcode out). An answer without a
     * records field (an error) always gets the string errcode.
     */
    WRONG_TYPES,
    /**
     * HTTP 200 {@code {"errcode":0,"errmsg":"ok"}}: success, but neither the records field nor next_cursor (for the
     * token APIs: no token nor expires_in).
     */
    MISSING_FIELDS,
    /** HTTP 200 with {@code Content-Type: application/json} and zero bytes of body. */
    EMPTY_BODY,
    /** HTTP 404 with an HTML page, as a misrouted gateway answers. */
    HTTP_404,
    /**
     * HTTP 200 with a valid JSON body of about {@link FaultInjector#hugeBodyBytes()} (10 MiB): errcode -1 and an errmsg
     * padded to that size, streamed in chunks (no Content-Length).
     */
    HUGE_BODY,
    /**
     * The request is read and never answered: the connection stays open, without holding a server thread, until
     * {@link FaultInjector#noAnswerHold()} (5 min) has passed or the simulator is closed, then it is closed unanswered.
     * Only the client's own timeout ends the wait sooner.
     */
    NO_ANSWER,
    /**
     * HTTP 200, {@code application/json}, a Content-Length of the normal answer's full size, and only the first half of
     * that answer's bytes, flushed; then nothing more. Like {@link #NO_ANSWER} the connection stays open, without
     * holding a server thread, until {@link FaultInjector#noAnswerHold()} (5 min) has passed or the simulator is
     * closed, then it is closed short of the promised length. A client whose timeout only covers the headers would wait
     * that long.
     */
    STALLED_BODY,
    /** The app may not call this API at all: a setup error that no retry cures. */
    API_FORBIDDEN(48002, "api forbidden"),
    /** The caller's address is not among the app's trusted IPs: no retry cures it until an admin adds it. */
    IP_NOT_TRUSTED(60020, "not allow to access from your ip"),
    /** The app lacks the permission (e.g. customer contact is outside its visible range): no retry cures it. */
    NO_APP_PERMISSION(301002, "not allow operate another agent with this accesstoken"),
    /** A third-party app's permanent authorisation code is no longer valid (e.g. the corp removed the app). */
    INVALID_PERMANENT_CODE(40084, "invalid permanent_code"),
    /**
     * Only for requests to the three mass-message APIs that carry a non-empty cursor: HTTP 200 with the normal answer,
     * but its next_cursor is the request's own cursor (even on the last page), so a client that trusts it reads the
     * same page forever.
     */
    CURSOR_CYCLE,
    /**
     * For the three mass-message APIs: HTTP 200 with the normal answer, its first record repeated at the end of the
     * records array and, when the request carries a cursor, the record just before the cursor's position (the last
     * record of the previous page) put first as well; next_cursor unchanged. A client must not export either twice.
     */
    REPEATED_RECORDS,
    /**
     * For the three mass-message APIs: HTTP 200 with the normal answer, but the first record has one field of a wrong
     * JSON type: get_groupmsg_list_v2 an extra attachment {@code {"msgtype":"image","image":""}} at the end of its
     * {@code attachments} (the array created if absent); get_groupmsg_task {@code "send_time":"not a time"};
     * get_groupmsg_send_result {@code "status":{"odd":true}}. The other records are as usual, so a client can tell one
     * bad record from a bad page.
     */
    ODD_RECORD;

    private final Integer errcode;
    private final String errmsg;

    Fault() {
        this(null, null);
    }

    Fault(Integer errcode, String errmsg) {
        this.errcode = errcode;
        this.errmsg = errmsg;
    }

    /** True when this fault is answered as a WeCom JSON error. */
    public boolean isWecomError() {
        return errcode != null;
    }

    /** The WeCom errcode of this fault; only meaningful when {@link #isWecomError()}. */
    public int errcode() {
        if (errcode == null) {
            throw new IllegalStateException(this + " is not a WeCom error");
        }
        return errcode;
    }

    public String errmsg() {
        return errmsg;
    }

    /** Whether this fault makes sense for a request to {@code api}. */
    boolean appliesTo(Api api, boolean hasCursor) {
        switch (this) {
            case TOKEN_EXPIRED :
            case REPEATED_RECORDS :
            case ODD_RECORD :
                return api.isGroupMsg();
            case INVALID_CURSOR :
            case CURSOR_CYCLE :
                return api.isGroupMsg() && hasCursor;
            default :
                return true;
        }
    }

    /**
     * True for the faults that bend the records of a successful answer (CURSOR_CYCLE, REPEATED_RECORDS, ODD_RECORD): a
     * request answered with an error or with no record passes untouched and does not use them up.
     */
    boolean needsRecords() {
        return this == CURSOR_CYCLE || this == REPEATED_RECORDS || this == ODD_RECORD;
    }
}
