package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Decides which requests fail and how: deterministically ({@link #failNext}) or by chance ({@link #probability}).
 * Scheduled faults are used first, in the order they were scheduled. Besides faults, it keeps what concerns single
 * messages and members: refusals ({@link #refuse}) and silent changes ({@link #changeResultsSilently}). Thread-safe;
 * the chance-based choice uses a seeded {@link Random} so single-threaded runs repeat.
 */
public final class FaultInjector {
    private static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(10);
    private static final Duration DEFAULT_NO_ANSWER_HOLD = Duration.ofMinutes(5);
    private static final long DEFAULT_HUGE_BODY_BYTES = 10L * 1024 * 1024;

    private static final class Scheduled {
        final Api api;
        final Fault fault;
        int remaining;

        Scheduled(Api api, Fault fault, int remaining) {
            this.api = api;
            this.fault = fault;
            this.remaining = remaining;
        }

        boolean matches(Api requested) {
            return api == null ? requested.isGroupMsg() : api == requested;
        }
    }

    private final double[][] probabilities = new double[Api.values().length][Fault.values().length];
    private final List<Scheduled> scheduled = new ArrayList<>();
    private Random random;
    /** Lets the common no-fault case skip the lock. */
    private volatile boolean armed;
    private volatile Duration slowDelay = DEFAULT_SLOW_DELAY;
    private volatile Duration noAnswerHold = DEFAULT_NO_ANSWER_HOLD;
    private volatile long hugeBodyBytes = DEFAULT_HUGE_BODY_BYTES;
    private final AtomicInteger wrongTypesTurn = new AtomicInteger();
    /** msgid + " " + userid: the status their send results answer with. */
    private final Map<String, Integer> silentResultStatus = new ConcurrentHashMap<>();
    /** Requests answered with an error whatever else holds; a null userid stands for any. */
    private final Map<Refused, ObjectNode> refusals = new ConcurrentHashMap<>();

    /** Which requests a refusal applies to. */
    private record Refused(Api api, String msgid, String userid) {
    }

    FaultInjector(long seed) {
        this.random = new Random(seed);
    }

    /** Each request to the three mass-message APIs fails with {@code fault} with this probability (0 disables). */
    public FaultInjector probability(Fault fault, double probability) {
        for (Api api : Api.values()) {
            if (api.isGroupMsg()) {
                probability(api, fault, probability);
            }
        }
        return this;
    }

    /** Like {@link #probability(Fault, double)} for one API; the only way to make gettoken fail by chance. */
    public synchronized FaultInjector probability(Api api, Fault fault, double probability) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(fault, "fault");
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in 0..1: " + probability);
        }
        requireApplicable(api, fault);
        probabilities[api.ordinal()][fault.ordinal()] = probability;
        rearm();
        return this;
    }

    /**
     * The next {@code times} requests to {@code api} (null: any of the three mass-message APIs) fail with
     * {@code fault}. Requests the fault cannot apply to (e.g. INVALID_CURSOR without a cursor, ODD_RECORD on a page
     * without records) pass untouched and do not use it up.
     */
    public synchronized FaultInjector failNext(Api api, Fault fault, int times) {
        Objects.requireNonNull(fault, "fault");
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        if (api != null) {
            requireApplicable(api, fault);
        }
        scheduled.add(new Scheduled(api, fault, times));
        rearm();
        return this;
    }

    /** How long a SLOW fault holds the answer back; default 10 s. */
    public FaultInjector slowDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.slowDelay = delay;
        return this;
    }

    public Duration slowDelay() {
        return slowDelay;
    }

    /**
     * How long a NO_ANSWER request is held open before its connection is closed unanswered, and a STALLED_BODY answer
     * before its connection is closed short of its body; default 5 min.
     */
    public FaultInjector noAnswerHold(Duration hold) {
        if (hold.isNegative()) {
            throw new IllegalArgumentException("hold must not be negative");
        }
        this.noAnswerHold = hold;
        return this;
    }

    public Duration noAnswerHold() {
        return noAnswerHold;
    }

    /** About how many bytes a HUGE_BODY answer has; default 10 MiB, at least 64. */
    public FaultInjector hugeBodyBytes(long bytes) {
        if (bytes < 64) {
            throw new IllegalArgumentException("hugeBodyBytes must be >= 64: " + bytes);
        }
        this.hugeBodyBytes = bytes;
        return this;
    }

    public long hugeBodyBytes() {
        return hugeBodyBytes;
    }

    /**
     * From now on every send result of {@code userid} for {@code msgid} answers with {@code status} while the member's
     * task stays as it was: a change the task list does not show, which WeCom does not rule out.
     */
    public FaultInjector changeResultsSilently(String msgid, String userid, int status) {
        silentResultStatus.put(msgid + " " + userid, status);
        return this;
    }

    /**
     * From now on every request to {@code api} ({@link Api#TASK} or {@link Api#RESULT}) whose body has this msgid and,
     * unless {@code userid} is null (any userid), this userid is answered {@code {"errcode":errcode,"errmsg":errmsg}}
     * (HTTP 200) once its token is accepted, as WeCom answers e.g. 60011 when the app may not see one member's data: an
     * error that concerns one message or member, not the API. The call log records the errcode; it is not a
     * {@link Fault}, so not counted as one. A refusal for the request's own userid wins over one for any userid;
     * refusing the same again replaces the answer.
     */
    public FaultInjector refuse(Api api, String msgid, String userid, int errcode, String errmsg) {
        Objects.requireNonNull(errmsg, "errmsg");
        refusals.put(refused(api, msgid, userid), Json.error(errcode, errmsg));
        return this;
    }

    /**
     * Removes the refusal {@link #refuse} set for exactly this api, msgid and userid (null: the one for any userid);
     * refusals of other userids stay.
     */
    public FaultInjector allow(Api api, String msgid, String userid) {
        refusals.remove(refused(api, msgid, userid));
        return this;
    }

    /** The error a refusal answers this request with, or null; a fresh copy, the caller may change it. */
    ObjectNode refusal(Api api, ObjectNode request) {
        if (refusals.isEmpty()) {
            return null;
        }
        String msgid = Params.text(request, "msgid");
        if (msgid == null) {
            return null;
        }
        String userid = Params.text(request, "userid");
        ObjectNode answer = userid == null ? null : refusals.get(new Refused(api, msgid, userid));
        if (answer == null) {
            answer = refusals.get(new Refused(api, msgid, null));
        }
        return answer == null ? null : answer.deepCopy();
    }

    private static Refused refused(Api api, String msgid, String userid) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(msgid, "msgid");
        if (api != Api.TASK && api != Api.RESULT) {
            throw new IllegalArgumentException("only get_groupmsg_task and get_groupmsg_send_result requests name a "
                    + "msgid to refuse, not " + api);
        }
        return new Refused(api, msgid, userid);
    }

    /** The answer with the silent changes applied. */
    ObjectNode withSilentChanges(Api api, ObjectNode request, ObjectNode answer) {
        if (api != Api.RESULT || silentResultStatus.isEmpty() || !answer.has("send_list")) {
            return answer;
        }
        Integer status = silentResultStatus.get(request.path("msgid").asText() + " " + request.path("userid").asText());
        if (status != null) {
            answer.get("send_list").forEach(result -> ((ObjectNode) result).put("status", status));
        }
        return answer;
    }

    /** Restarts the chance-based choices from {@code seed}. */
    public synchronized FaultInjector seed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    /** Scheduled faults not used yet. */
    public synchronized int pending() {
        return scheduled.stream().mapToInt(s -> s.remaining).sum();
    }

    /**
     * Removes all probabilities, scheduled faults, silent changes and refusals, and restarts WRONG_TYPES at its first
     * variant; the slow delay, no-answer hold and huge body size are kept.
     */
    public synchronized void clear() {
        for (double[] row : probabilities) {
            Arrays.fill(row, 0);
        }
        scheduled.clear();
        silentResultStatus.clear();
        refusals.clear();
        wrongTypesTurn.set(0);
        armed = false;
    }

    /**
     * The fault for this request, or null to answer normally. {@code hasRecords} tells whether the normal answer is a
     * success with a record; asked (under this lock) only when a fault that needs one is a candidate.
     */
    Fault next(Api api, boolean hasCursor, BooleanSupplier hasRecords) {
        if (!armed) {
            return null;
        }
        synchronized (this) {
            for (Iterator<Scheduled> it = scheduled.iterator(); it.hasNext();) {
                Scheduled s = it.next();
                if (s.matches(api) && applies(s.fault, api, hasCursor, hasRecords)) {
                    if (--s.remaining == 0) {
                        it.remove();
                        rearm();
                    }
                    return s.fault;
                }
            }
            double[] row = probabilities[api.ordinal()];
            for (Fault f : Fault.values()) {
                double p = row[f.ordinal()];
                if (p > 0 && applies(f, api, hasCursor, hasRecords) && random.nextDouble() < p) {
                    return f;
                }
            }
            return null;
        }
    }

    private static boolean applies(Fault fault, Api api, boolean hasCursor, BooleanSupplier hasRecords) {
        return fault.appliesTo(api, hasCursor) && (!fault.needsRecords() || hasRecords.getAsBoolean());
    }

    /** Which WRONG_TYPES variant the next injection uses: 0, 1, 2, 0, … */
    int nextWrongTypesTurn() {
        return Math.floorMod(wrongTypesTurn.getAndIncrement(), 3);
    }

    /** A fault that can never hit this API would wait forever; say so at once. */
    private static void requireApplicable(Api api, Fault fault) {
        if (!fault.appliesTo(api, true)) {
            throw new IllegalArgumentException(fault + " cannot apply to " + api);
        }
    }

    private void rearm() {
        boolean any = !scheduled.isEmpty();
        for (double[] row : probabilities) {
            for (double p : row) {
                any |= p > 0;
            }
        }
        armed = any;
    }
}
