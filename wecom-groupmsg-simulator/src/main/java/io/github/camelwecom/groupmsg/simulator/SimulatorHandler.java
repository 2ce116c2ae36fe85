package io.github.camelwecom.groupmsg.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the simulator: routes a request to its API, applies the concurrency cap, latency and faults,
 * checks the token and writes the answer. WeCom-level errors are HTTP 200 like the real service.
 */
final class SimulatorHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorHandler.class);
    private static final String JSON = "application/json; charset=UTF-8";
    private static final String HTML = "text/html; charset=UTF-8";
    private static final byte[] NOT_FOUND = html("<html><body><h1>404 Not Found</h1></body></html>");
    private static final byte[] BAD_GATEWAY = html(
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>");
    private static final byte[] TOO_MANY = html(
            "<html><head><title>429 Too Many Requests</title></head><body><h1>429 Too Many Requests</h1></body></html>");
    private static final byte[] NON_JSON_PAGE = html(
            "<!DOCTYPE html><html><head><title>企业微信</title></head><body><p>系统繁忙，请稍后再试</p></body></html>");
    private static final byte[] GATEWAY_NOT_FOUND = html("<html>\r\n<head><title>404 Not Found</title></head>\r\n"
            + "<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    private static final int CHUNK = 64 * 1024;

    private final TokenRegistry tokens;
    private final Suites suites;
    private final GroupMsgApi api;
    private final FaultInjector faults;
    private final SimulatorCounters counters;
    private final RuntimeSettings settings;
    private final HeldExchanges held;
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> false);
    /** The call being served on this thread, for the call log. */
    private final ThreadLocal<CallInProgress> current = new ThreadLocal<>();

    /** A served request's parts, and its normal answer, computed at most once. */
    private final class Request {
        final Api target;
        final String method;
        final Map<String, String> query;
        /** The parsed body of a POST request; null for gettoken or a body that is not a JSON object. */
        final ObjectNode json;
        private ObjectNode normal;

        Request(Api target, String method, Map<String, String> query, ObjectNode json) {
            this.target = target;
            this.method = method;
            this.query = query;
            this.json = json;
        }

        /**
         * The answer without faults. Computed on first use and kept, so a fault that must look at it first (one that
         * only bends answers with records) and the answer sent agree.
         */
        ObjectNode normal() {
            if (normal == null) {
                normal = answer(this, false);
            }
            return normal;
        }

        /** The non-empty cursor of a mass-message request, or null. */
        String cursor() {
            return json == null || !target.isGroupMsg() ? null : Params.text(json, "cursor");
        }
    }

    /** What the call log needs to know about a request while it is being served. */
    private static final class CallInProgress {
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

    SimulatorHandler(TokenRegistry tokens, Suites suites, GroupMsgApi api, FaultInjector faults,
            SimulatorCounters counters, RuntimeSettings settings, HeldExchanges held) {
        this.tokens = tokens;
        this.suites = suites;
        this.api = api;
        this.faults = faults;
        this.counters = counters;
        this.settings = settings;
        this.held = held;
    }

    @Override
    public void handle(HttpExchange exchange) {
        boolean handedOff = false;
        long start = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        Api target = Api.forPath(apiPath(path));
        if (target != null) {
            current.set(new CallInProgress(target, start, caller(path)));
        }
        try {
            handedOff = serve(exchange);
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("failed to answer {}", exchange.getRequestURI(), e);
            try {
                send(exchange, 500, HTML, html("<html><body>500 Internal Server Error</body></html>"));
            } catch (IOException | RuntimeException ignored) {
                // headers may already be out; closing is all that is left
            }
        } finally {
            logOnce(); // unless an answer or drop already did
            current.remove();
            if (!handedOff) {
                exchange.close();
            }
        }
    }

    /** Answers the request; true when the exchange was handed to {@link HeldExchanges} and must stay open. */
    private boolean serve(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Api target = Api.forPath(apiPath(exchange.getRequestURI().getPath()));
        Map<String, String> query = QueryString.parse(exchange.getRequestURI().getRawQuery());
        if (current.get() != null) {
            current.get().requestHash = requestHash(exchange.getRequestMethod(), target, query, body);
        }
        if (target == null) {
            pause(settings.latency());
            send(exchange, 404, HTML, NOT_FOUND);
            return false;
        }
        counters.called(target);
        int inFlight = counters.enter();
        holding.set(true);
        try {
            int cap = settings.maxConcurrentRequests();
            if (cap > 0 && inFlight > cap) {
                // refused at once: holding the slot for the latency would only make the overload worse
                counters.rejectedByCap();
                sendJson(exchange, Json.error(Fault.CONCURRENT_LIMIT.errcode(), Fault.CONCURRENT_LIMIT.errmsg()));
                return false;
            }
            pause(settings.latency());
            Request request = new Request(target, exchange.getRequestMethod(), query,
                    target != Api.GETTOKEN ? Json.parseObject(body) : null);
            current.get().corp = corpOf(request);
            Fault fault = faults.next(target, request.cursor() != null,
                    () -> HostileAnswers.hasRecords(request.normal(), target));
            if (fault != null) {
                counters.injected(fault);
                current.get().fault = fault;
                if (fault == Fault.SLOW) {
                    pause(faults.slowDelay());
                } else if (fault == Fault.NO_ANSWER) {
                    leaveOnce();
                    held.hold(exchange, faults.noAnswerHold());
                    return true;
                } else if (fault == Fault.STALLED_BODY) {
                    sendHalfAndStall(exchange, request.normal());
                    return true;
                } else {
                    injectFault(exchange, fault, request);
                    return false;
                }
            }
            ObjectNode answer = request.normal();
            if (answer.path("errcode").asInt(0) == 0) {
                counters.succeeded(target);
            }
            sendJson(exchange, answer);
            return false;
        } finally {
            leaveOnce();
        }
    }

    /**
     * Ends the request's in-flight count before its answer goes out: a client that has the answer may send its next
     * request at once, and that must not look like two requests in flight. Logs the call for the same reason.
     */
    private void leaveOnce() {
        if (holding.get()) {
            holding.set(false);
            counters.leave();
        }
        logOnce();
    }

    /**
     * Puts the call in the log as its answer starts to go out (or the connection is dropped or parked), so a client
     * that has the answer finds its call logged.
     */
    private void logOnce() {
        CallInProgress call = current.get();
        if (call != null && !call.logged) {
            call.logged = true;
            counters.logged(new ApiCall(call.api, call.startNanos, System.nanoTime(), call.fault, call.errcode,
                    call.requestHash, call.caller, call.corp));
        }
    }

    /**
     * The API part of a request path: from {@code /cgi-bin/} on, so that a client whose base URL has a path (e.g.
     * {@code http://127.0.0.1:PORT/replica-1}) is served like any other and named in the call log by that path.
     */
    private static String apiPath(String path) {
        int at = path.indexOf("/cgi-bin/");
        return at > 0 ? path.substring(at) : path;
    }

    /** The path before {@code /cgi-bin/} without its leading slash, or null when there is none. */
    private static String caller(String path) {
        int at = path.indexOf("/cgi-bin/");
        return at > 1 ? path.substring(1, at) : null;
    }

    /** The corp a request is for, as far as the simulator can tell before answering it. */
    private String corpOf(Request r) {
        if (r.target == Api.GETTOKEN) {
            return r.query.get("corpid");
        }
        if (r.target == Api.CORP_TOKEN) {
            return r.json == null ? null : Params.text(r.json, "auth_corpid");
        }
        return r.target.isGroupMsg() ? Suites.corpOf(tokens.ownerOf(r.query.get("access_token"))) : null;
    }

    /** The answer to {@code r}; with {@code repeated}, in the shape of the REPEATED_RECORDS fault. */
    private ObjectNode answer(Request r, boolean repeated) {
        Api target = r.target;
        Map<String, String> query = r.query;
        try {
            if (target == Api.GETTOKEN) {
                return tokenAnswer(Json.ok(), "access_token",
                        tokens.issue(query.get("corpid"), query.get("corpsecret")));
            }
            if (!"POST".equals(r.method)) {
                return Json.error(43002, "require POST method");
            }
            if (target == Api.SUITE_TOKEN || target == Api.CORP_TOKEN) {
                if (r.json == null) {
                    return Json.error(47001, "data format error");
                }
                // WeCom's document: these two answer errcode only on failure; its absence means success
                ObjectNode answer = Json.NODES.objectNode();
                if (target == Api.SUITE_TOKEN) {
                    TokenRegistry.Issued issued = suites.suiteToken(r.json);
                    if (issued.fresh()) {
                        counters.suiteTokenIssued();
                    }
                    return tokenAnswer(answer, "suite_access_token", issued);
                }
                return tokenAnswer(answer, "access_token", suites.corpToken(query.get("suite_access_token"), r.json));
            }
            tokens.validate(query.get("access_token"));
            if (r.json == null) {
                return Json.error(47001, "data format error");
            }
            ObjectNode refused = faults.refusal(target, r.json);
            if (refused != null) {
                return refused;
            }
            return faults.withSilentChanges(target, r.json, api.answer(target, r.json, repeated));
        } catch (WecomException e) {
            return Json.error(e.errcode(), e.errmsg());
        }
    }

    /** {@code answer} with the token in {@code field} and its lifetime; a new access_token is counted. */
    private ObjectNode tokenAnswer(ObjectNode answer, String field, TokenRegistry.Issued issued) {
        if (issued.fresh() && field.equals("access_token")) {
            counters.tokenIssued();
        }
        answer.put(field, issued.token());
        answer.put("expires_in", issued.expiresInSeconds());
        return answer;
    }

    /** Answers {@code request} with {@code fault}. */
    private void injectFault(HttpExchange exchange, Fault fault, Request request) throws IOException {
        if (fault == Fault.TOKEN_EXPIRED) {
            tokens.expire(request.query.get("access_token"));
        }
        if (fault.isWecomError()) {
            sendJson(exchange, Json.error(fault.errcode(), fault.errmsg()));
            return;
        }
        switch (fault) {
            case HTTP_502:
                send(exchange, 502, HTML, BAD_GATEWAY);
                break;
            case HTTP_429:
                send(exchange, 429, HTML, TOO_MANY);
                break;
            case NON_JSON:
                send(exchange, 200, HTML, NON_JSON_PAGE);
                break;
            case RESET:
                // closing an exchange before any header is sent drops the connection without an answer
                leaveOnce();
                exchange.close();
                break;
            case TRUNCATED_JSON: {
                ObjectNode answer = request.normal();
                byte[] whole = Json.bytes(answer);
                setErrorHeaders(exchange, answer);
                send(exchange, 200, JSON, Arrays.copyOf(whole, Math.max(1, whole.length / 2)));
                break;
            }
            case WRONG_TYPES: {
                ObjectNode answer = HostileAnswers.wrongTypes(request.normal(), request.target,
                        faults.nextWrongTypesTurn());
                if (answer.path("errcode").isIntegralNumber()) {
                    current.get().errcode = answer.get("errcode").asInt();
                }
                send(exchange, 200, JSON, Json.bytes(answer));
                break;
            }
            case MISSING_FIELDS:
                sendJson(exchange, Json.ok());
                break;
            case EMPTY_BODY:
                leaveOnce();
                exchange.getResponseHeaders().set("Content-Type", JSON);
                exchange.sendResponseHeaders(200, -1);
                break;
            case HTTP_404:
                send(exchange, 404, HTML, GATEWAY_NOT_FOUND);
                break;
            case HUGE_BODY:
                current.get().errcode = -1;
                sendHuge(exchange, faults.hugeBodyBytes());
                break;
            case CURSOR_CYCLE:
                sendJson(exchange, HostileAnswers.cursorCycle(request.normal(), request.cursor()));
                break;
            case REPEATED_RECORDS:
                sendJson(exchange, answer(request, true));
                break;
            case ODD_RECORD:
                sendJson(exchange, HostileAnswers.oddRecord(request.normal(), request.target));
                break;
            default:
                throw new IllegalStateException("unhandled fault " + fault);
        }
    }

    private void sendJson(HttpExchange exchange, ObjectNode answer) throws IOException {
        CallInProgress call = current.get();
        if (call != null) {
            call.errcode = answer.path("errcode").asInt(0);
        }
        setErrorHeaders(exchange, answer);
        send(exchange, 200, JSON, Json.bytes(answer));
    }

    /** WeCom repeats errcode/errmsg in headers; some clients read them. An answer without errcode is a success. */
    private static void setErrorHeaders(HttpExchange exchange, ObjectNode answer) {
        boolean success = !answer.has("errcode");
        exchange.getResponseHeaders().set("Error-Code", success ? "0" : answer.get("errcode").asText());
        exchange.getResponseHeaders().set("Error-Msg", success ? "ok" : answer.path("errmsg").asText());
    }

    /**
     * Promises {@code answer} in full (Content-Length) but sends only its first half, then parks the exchange in
     * {@link HeldExchanges} like NO_ANSWER: no thread waits on it, and closing it when the hold ends (or the simulator
     * stops) drops the connection short of the promised length. The caller must not close the exchange.
     */
    private void sendHalfAndStall(HttpExchange exchange, ObjectNode answer) throws IOException {
        byte[] whole = Json.bytes(answer);
        leaveOnce();
        exchange.getResponseHeaders().set("Content-Type", JSON);
        setErrorHeaders(exchange, answer);
        exchange.sendResponseHeaders(200, whole.length);
        OutputStream out = exchange.getResponseBody(); // not closed: that would fail short and drop the connection
        out.write(whole, 0, Math.max(1, whole.length / 2));
        out.flush();
        held.hold(exchange, faults.noAnswerHold());
    }

    /** {"errcode":-1,"errmsg":"system busy ….."} of about {@code size} bytes, chunked, never whole in memory. */
    private void sendHuge(HttpExchange exchange, long size) throws IOException {
        byte[] head = html("{\"errcode\":-1,\"errmsg\":\"system busy ");
        byte[] tail = html("\"}");
        byte[] padding = new byte[CHUNK];
        byte[] pattern = html("padding-0123456789-");
        for (int i = 0; i < padding.length; i++) {
            padding[i] = pattern[i % pattern.length];
        }
        leaveOnce();
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.getResponseHeaders().set("Error-Code", "-1");
        exchange.getResponseHeaders().set("Error-Msg", "system busy");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(head);
            for (long left = Math.max(0, size - head.length - tail.length); left > 0; left -= CHUNK) {
                out.write(padding, 0, (int) Math.min(CHUNK, left));
            }
            out.write(tail);
        }
    }

    private void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        leaveOnce();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Identifies a request apart from its access_token, so a retry with a renewed token hashes the same. */
    private static long requestHash(String method, Api target, Map<String, String> query, byte[] body) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append('?');
        new TreeMap<>(query).forEach((k, v) -> {
            if (!k.equals("access_token")) {
                sb.append(k).append('=').append(v).append('&');
            }
        });
        return Hashing.hash(sb.append('\n').append(new String(body, StandardCharsets.UTF_8)).toString());
    }

    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: answer at once
        }
    }

    private static byte[] html(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
