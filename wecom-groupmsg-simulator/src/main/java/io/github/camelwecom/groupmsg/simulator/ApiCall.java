package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;

/**
 * One request the simulator served, as {@link SimulatorCounters#callLog()} keeps it. Times are
 * {@link System#nanoTime()} values, comparable with a test's own.
 *
 * @param api the API called
 * @param startNanos when the request reached the simulator
 * @param endNanos when its answer started to go out (or the connection was dropped, or the request parked by
 * NO_ANSWER); latency and SLOW delays fall in between. The call is in the log by the time the client can read the
 * answer.
 * @param fault the injected fault, or null (a refusal by the concurrency cap is not a fault)
 * @param errcode the errcode of the answer when it was a complete JSON object with a numeric errcode (0 for success);
 * null for HTTP errors, non-JSON, truncated or empty bodies, string errcodes and no answer
 * @param requestHash identifies the request apart from its access_token (method, path, other query parameters, body),
 * so a retry of the same call has the same hash
 * @param caller the path before {@code /cgi-bin/}, without its leading slash ({@code replica-1} for a client whose base
 * URL is {@code http://127.0.0.1:PORT/replica-1}), or null: tells clients apart that share one simulator
 * @param corp the corp the call is for: gettoken's corpid, get_corp_token's auth_corpid, the corp whose access_token a
 * mass-message call carries (expired ones too); null when not known
 */
public record ApiCall(Api api, long startNanos, long endNanos, Fault fault, Integer errcode, long requestHash,
        String caller, String corp) {

    /** A call without caller or corp. */
    public ApiCall(Api api, long startNanos, long endNanos, Fault fault, Integer errcode, long requestHash) {
        this(api, startNanos, endNanos, fault, errcode, requestHash, null, null);
    }

    /** Time between arrival and answer. */
    public Duration duration() {
        return Duration.ofNanos(endNanos - startNanos);
    }

    /** Whether {@code other} asked the same thing (a retry, perhaps with a new token). */
    public boolean sameRequestAs(ApiCall other) {
        return api == other.api && requestHash == other.requestHash;
    }

    /** Whether the answer carried this errcode. */
    public boolean answered(int code) {
        return errcode != null && errcode == code;
    }
}
