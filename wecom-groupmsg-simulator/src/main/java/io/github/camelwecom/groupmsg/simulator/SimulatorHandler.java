package io.github.camelwecom.groupmsg.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.github.camelwecom.groupmsg.simulator.Reply.HTML;
import static io.github.camelwecom.groupmsg.simulator.Reply.utf8;

/**
 * The HTTP side of the simulator: routes a request to its API, applies the concurrency cap, latency and faults, checks
 * the token and writes the answer. WeCom-level errors are HTTP 200 like the real service.
 */
final class SimulatorHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorHandler.class);
    private static final byte[] NOT_FOUND = utf8("<html><body><h1>404 Not Found</h1></body></html>");

    private final TokenRegistry tokens;
    private final ApiAnswers answers;
    private final FaultAnswers faultAnswers;
    private final FaultInjector faults;
    private final SimulatorCounters counters;
    private final RuntimeSettings settings;
    private final CallLimiter limiter;

    SimulatorHandler(TokenRegistry tokens, Suites suites, Function<String, GroupMsgApi> apis, FaultInjector faults,
            SimulatorCounters counters, RuntimeSettings settings, CallLimiter limiter, HeldExchanges held) {
        this.tokens = tokens;
        this.answers = new ApiAnswers(tokens, suites, apis, faults, counters);
        this.faultAnswers = new FaultAnswers(tokens, faults, held);
        this.faults = faults;
        this.counters = counters;
        this.settings = settings;
        this.limiter = limiter;
    }

    @Override
    public void handle(HttpExchange exchange) {
        boolean handedOff = false;
        long start = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        Api target = Api.forPath(apiPath(path));
        Reply reply = new Reply(exchange, counters,
                target == null ? null : new Reply.CallInProgress(target, start, caller(path)));
        try {
            handedOff = serve(exchange, reply);
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("failed to answer {}", exchange.getRequestURI(), e);
            try {
                reply.send(500, HTML, utf8("<html><body>500 Internal Server Error</body></html>"));
            } catch (IOException | RuntimeException ignored) {
                // headers may already be out; closing is all that is left
            }
        } finally {
            reply.logOnce(); // unless an answer or drop already did
            if (!handedOff) {
                exchange.close();
            }
        }
    }

    /** Answers the request; true when the exchange was handed to {@link HeldExchanges} and must stay open. */
    private boolean serve(HttpExchange exchange, Reply reply) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Api target = Api.forPath(apiPath(exchange.getRequestURI().getPath()));
        Map<String, String> query = QueryString.parse(exchange.getRequestURI().getRawQuery());
        if (reply.call() != null) {
            reply.call().requestHash = requestHash(exchange.getRequestMethod(), target, query, body);
        }
        if (target == null) {
            pause(settings.latency());
            reply.send(404, HTML, NOT_FOUND);
            return false;
        }
        counters.called(target);
        int inFlight = reply.enter();
        try {
            int cap = settings.maxConcurrentRequests();
            if (cap > 0 && inFlight > cap) {
                // refused at once: holding the slot for the latency would only make the overload worse
                counters.rejectedByCap();
                reply.sendJson(Json.error(Fault.CONCURRENT_LIMIT.errcode(), Fault.CONCURRENT_LIMIT.errmsg()));
                return false;
            }
            pause(settings.latency());
            return answer(new ApiRequest(answers, target, exchange.getRequestMethod(), query,
                    target != Api.GETTOKEN ? Json.parseObject(body) : null), reply);
        } finally {
            reply.leaveOnce();
        }
    }

    /** Answers an API request, with a fault if one is due; true when the exchange must stay open. */
    private boolean answer(ApiRequest request, Reply reply) throws IOException {
        reply.call().corp = corpOf(request);
        if (refusedByLimit(request.target, reply)) {
            return false;
        }
        Fault fault = faults.next(request.target, request.cursor() != null,
                () -> HostileAnswers.hasRecords(request.normal(), request.target));
        if (fault != null) {
            counters.injected(fault);
            reply.call().fault = fault;
            if (fault == Fault.SLOW) {
                pause(faults.slowDelay());
            } else {
                return faultAnswers.send(fault, request, reply);
            }
        }
        ObjectNode answer = request.normal();
        if (answer.path("errcode").asInt(0) == 0) {
            counters.succeeded(request.target);
        }
        reply.sendJson(answer);
        return false;
    }

    /** Answers 45009 when the call limits refuse the call; before faults, so a refusal uses up no failNext. */
    private boolean refusedByLimit(Api target, Reply reply) throws IOException {
        String corp = reply.call().corp;
        CallLimit limit =
                limiter.admit(target, corp, reply.exchange().getRemoteAddress().getAddress().getHostAddress());
        if (limit == null) {
            return false;
        }
        counters.limitRefusals().refused(target, limit, corp);
        reply.sendJson(Json.error(Fault.FREQ_LIMIT.errcode(), Fault.FREQ_LIMIT.errmsg()));
        return true;
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
    private String corpOf(ApiRequest r) {
        if (r.target == Api.GETTOKEN) {
            return r.query.get("corpid");
        }
        if (r.target == Api.CORP_TOKEN) {
            return r.json == null ? null : Params.text(r.json, "auth_corpid");
        }
        return r.target.isGroupMsg() ? Suites.corpOf(tokens.ownerOf(r.query.get("access_token"))) : null;
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
}
