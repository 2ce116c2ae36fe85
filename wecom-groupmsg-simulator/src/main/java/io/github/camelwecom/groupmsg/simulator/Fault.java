package io.github.camelwecom.groupmsg.simulator;

/**
 * Failures the simulator can inject. Each kind is either a WeCom-level error (HTTP 200 with an errcode)
 * or a transport-level failure a real gateway in front of WeCom can produce.
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
    SLOW;

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
            case TOKEN_EXPIRED:
                return api.isGroupMsg();
            case INVALID_CURSOR:
                return api.isGroupMsg() && hasCursor;
            default:
                return true;
        }
    }
}
