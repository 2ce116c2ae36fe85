package io.github.camelwecom.groupmsg.simulator;

/** A WeCom-level error answered as HTTP 200 with errcode/errmsg. Thrown on bad requests, so no stack trace. */
final class WecomException extends RuntimeException {
    static final int INVALID_PARAMETER = 40058;

    private final int errcode;

    WecomException(int errcode, String errmsg) {
        super(errmsg, null, false, false);
        this.errcode = errcode;
    }

    static WecomException invalidParameter(String what) {
        return new WecomException(INVALID_PARAMETER, "invalid parameter: " + what);
    }

    static WecomException invalidCursor() {
        return new WecomException(50100, "invalid cursor");
    }

    int errcode() {
        return errcode;
    }

    String errmsg() {
        return getMessage();
    }
}
