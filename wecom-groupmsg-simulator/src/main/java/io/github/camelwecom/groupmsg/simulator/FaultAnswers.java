package io.github.camelwecom.groupmsg.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import static io.github.camelwecom.groupmsg.simulator.Reply.HTML;
import static io.github.camelwecom.groupmsg.simulator.Reply.JSON;
import static io.github.camelwecom.groupmsg.simulator.Reply.utf8;

/**
 * How a request is answered when the {@link FaultInjector} picked a fault for it (all but SLOW, which only delays the
 * normal answer): a WeCom error, a broken HTTP answer, a bent normal answer, or none at all.
 */
final class FaultAnswers {
    private static final byte[] BAD_GATEWAY = utf8(
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>");
    private static final byte[] TOO_MANY = utf8(
            "<html><head><title>429 Too Many Requests</title></head><body><h1>429 Too Many Requests</h1></body></html>");
    private static final byte[] NON_JSON_PAGE = utf8(
            "<!DOCTYPE html><html><head><title>企业微信</title></head><body><p>系统繁忙，请稍后再试</p></body></html>");
    private static final byte[] GATEWAY_NOT_FOUND = utf8("<html>\r\n<head><title>404 Not Found</title></head>\r\n"
            + "<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    private static final int CHUNK = 64 * 1024;

    private final TokenRegistry tokens;
    private final FaultInjector faults;
    private final HeldExchanges held;

    FaultAnswers(TokenRegistry tokens, FaultInjector faults, HeldExchanges held) {
        this.tokens = tokens;
        this.faults = faults;
        this.held = held;
    }

    /** Answers {@code request} with {@code fault}; true when the exchange was handed to {@link HeldExchanges}. */
    boolean send(Fault fault, ApiRequest request, Reply reply) throws IOException {
        if (fault == Fault.NO_ANSWER) {
            reply.leaveOnce();
            held.hold(reply.exchange(), faults.noAnswerHold());
            return true;
        }
        if (fault == Fault.STALLED_BODY) {
            sendHalfAndStall(reply, request.normal());
            return true;
        }
        if (fault == Fault.TOKEN_EXPIRED) {
            tokens.expire(request.query.get("access_token"));
        }
        if (fault.isWecomError()) {
            reply.sendJson(Json.error(fault.errcode(), fault.errmsg()));
        } else if (!sendBentAnswer(fault, request, reply)) {
            sendBrokenHttp(fault, reply);
        }
        return false;
    }

    /** The faults that send something other than a WeCom answer, or nothing. */
    private void sendBrokenHttp(Fault fault, Reply reply) throws IOException {
        switch (fault) {
            case HTTP_502 -> reply.send(502, HTML, BAD_GATEWAY);
            case HTTP_429 -> reply.send(429, HTML, TOO_MANY);
            case NON_JSON -> reply.send(200, HTML, NON_JSON_PAGE);
            case HTTP_404 -> reply.send(404, HTML, GATEWAY_NOT_FOUND);
            case RESET -> {
                // closing an exchange before any header is sent drops the connection without an answer
                reply.leaveOnce();
                reply.exchange().close();
            }
            case EMPTY_BODY -> {
                reply.leaveOnce();
                reply.exchange().getResponseHeaders().set("Content-Type", JSON);
                reply.exchange().sendResponseHeaders(200, -1);
            }
            case HUGE_BODY -> {
                reply.logErrcode(-1);
                sendHuge(reply, faults.hugeBodyBytes());
            }
            default -> throw new IllegalStateException("unhandled fault " + fault);
        }
    }

    /** The faults that bend the normal answer; false for any other. */
    private boolean sendBentAnswer(Fault fault, ApiRequest request, Reply reply) throws IOException {
        switch (fault) {
            case TRUNCATED_JSON -> {
                ObjectNode answer = request.normal();
                byte[] whole = Json.bytes(answer);
                reply.setErrorHeaders(answer);
                reply.send(200, JSON, Arrays.copyOf(whole, Math.max(1, whole.length / 2)));
            }
            case WRONG_TYPES -> {
                ObjectNode answer = HostileAnswers.wrongTypes(request.normal(), request.target,
                        faults.nextWrongTypesTurn());
                if (answer.path("errcode").isIntegralNumber()) {
                    reply.logErrcode(answer.get("errcode").asInt());
                }
                reply.send(200, JSON, Json.bytes(answer));
            }
            case MISSING_FIELDS -> reply.sendJson(Json.ok());
            case CURSOR_CYCLE -> reply.sendJson(HostileAnswers.cursorCycle(request.normal(), request.cursor()));
            case REPEATED_RECORDS -> reply.sendJson(request.repeated());
            case ODD_RECORD -> reply.sendJson(HostileAnswers.oddRecord(request.normal(), request.target));
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Promises {@code answer} in full (Content-Length) but sends only its first half, then parks the exchange in
     * {@link HeldExchanges} like NO_ANSWER: no thread waits on it, and closing it when the hold ends (or the simulator
     * stops) drops the connection short of the promised length. The caller must not close the exchange.
     */
    private void sendHalfAndStall(Reply reply, ObjectNode answer) throws IOException {
        HttpExchange exchange = reply.exchange();
        byte[] whole = Json.bytes(answer);
        reply.leaveOnce();
        exchange.getResponseHeaders().set("Content-Type", JSON);
        reply.setErrorHeaders(answer);
        exchange.sendResponseHeaders(200, whole.length);
        OutputStream out = exchange.getResponseBody(); // not closed: that would fail short and drop the connection
        out.write(whole, 0, Math.max(1, whole.length / 2));
        out.flush();
        held.hold(exchange, faults.noAnswerHold());
    }

    /** {"errcode":-1,"errmsg":"system busy ….."} of about {@code size} bytes, chunked, never whole in memory. */
    private static void sendHuge(Reply reply, long size) throws IOException {
        byte[] head = utf8("{\"errcode\":-1,\"errmsg\":\"system busy ");
        byte[] tail = utf8("\"}");
        byte[] padding = new byte[CHUNK];
        byte[] pattern = utf8("padding-0123456789-");
        for (int i = 0; i < padding.length; i++) {
            padding[i] = pattern[i % pattern.length];
        }
        HttpExchange exchange = reply.exchange();
        reply.leaveOnce();
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
}
