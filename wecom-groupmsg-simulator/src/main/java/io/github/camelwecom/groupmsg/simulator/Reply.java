package io.github.camelwecom.groupmsg.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The answer to one exchange as it goes out, and the bookkeeping due the moment it starts: the request leaves the
 * in-flight count and its call enters the call log.
 */
final class Reply {
    static final String JSON = "application/json; charset=UTF-8";
    static final String HTML = "text/html; charset=UTF-8";

    private final HttpExchange exchange;
    private final SimulatorCounters counters;
    /** Null for a path that is no API: such a request is not logged. */
    private final CallInProgress call;
    private boolean inFlight;

    /** What the call log needs to know about a request while it is being served. */
    static final class CallInProgress {
        final Api api;
        final long startNanos;
        final String caller;
        String corp;
        long requestHash;
        Fault fault;
        Integer errcode;
        boolean logged;

        CallInProgress(Api api, long startNanos, String caller) {
            this.api = api;
            this.startNanos = startNanos;
            this.caller = caller;
        }
    }

    Reply(HttpExchange exchange, SimulatorCounters counters, CallInProgress call) {
        this.exchange = exchange;
        this.counters = counters;
        this.call = call;
    }

    HttpExchange exchange() {
        return exchange;
    }

    /** The call being served, or null when the path is no API. */
    CallInProgress call() {
        return call;
    }

    /** Counts the request in flight until {@link #leaveOnce()}; returns the requests in flight with it. */
    int enter() {
        int n = counters.enter();
        inFlight = true;
        return n;
    }

    /**
     * Ends the request's in-flight count before its answer goes out: a client that has the answer may send its next
     * request at once, and that must not look like two requests in flight. Logs the call for the same reason.
     */
    void leaveOnce() {
        if (inFlight) {
            inFlight = false;
            counters.leave();
        }
        logOnce();
    }

    /**
     * Puts the call in the log as its answer starts to go out (or the connection is dropped or parked), so a client
     * that has the answer finds its call logged.
     */
    void logOnce() {
        if (call != null && !call.logged) {
            call.logged = true;
            counters.logged(new ApiCall(call.api, call.startNanos, System.nanoTime(), call.fault, call.errcode,
                    call.requestHash, call.caller, call.corp));
        }
    }

    /** The errcode the call log shows for an answer not sent by {@link #sendJson}. */
    void logErrcode(int errcode) {
        if (call != null) {
            call.errcode = errcode;
        }
    }

    void sendJson(ObjectNode answer) throws IOException {
        if (call != null) {
            call.errcode = answer.path("errcode").asInt(0);
        }
        setErrorHeaders(answer);
        send(200, JSON, Json.bytes(answer));
    }

    /** WeCom repeats errcode/errmsg in headers; some clients read them. An answer without errcode is a success. */
    void setErrorHeaders(ObjectNode answer) {
        boolean success = !answer.has("errcode");
        exchange.getResponseHeaders().set("Error-Code", success ? "0" : answer.get("errcode").asText());
        exchange.getResponseHeaders().set("Error-Msg", success ? "ok" : answer.path("errmsg").asText());
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        leaveOnce();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
