package io.github.camelwecom.groupmsg.client;

import java.util.Objects;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import io.github.camelwecom.groupmsg.client.model.MemberRecord;

/**
 * Fetches one page of each WeCom mass-message API: adds the access_token, waits for the factory's {@link CallBudget},
 * throttles, limits requests in flight, retries what the retry policy allows, and repeats a call once with a fresh
 * token when WeCom rejects the token.
 */
public class WecomClient {

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final AccessTokenProvider tokens;
    private final RetryPolicy retryPolicy;
    private final RateLimiter rateLimiter;
    private final Semaphore inFlight;
    private final ClientSettings.Timeouts timeouts;
    private final ClientListener listener;
    /** Null when the component's budget is off. */
    private final CallBudget budget;
    /** The corp the budget counts this client's calls for. */
    private final String budgetCorp;
    private final CallBudget.Priority priority;
    private final PageReader<GroupMsg> listReader;
    private final PageReader<GroupMsgTask> taskReader;
    private final PageReader<GroupMsgSendResult> resultReader;

    /** Told about every call's outcome (metrics); the default does nothing. */
    public interface ClientListener {
        default void onCall(GroupMsgApi api, boolean success) {
        }

        default void onRetry(String api, WecomApiException failure) {
        }

        default void onTokenRejected(int errcode) {
        }
    }

    /** A client that calls WeCom as {@code settings} say, with the tokens of {@code tokens}. */
    WecomClient(HttpTransport transport, ObjectMapper mapper, ClientSettings settings, AccessTokenProvider tokens,
            ClientListener listener, CallBudget budget) {
        this.transport = transport;
        this.mapper = mapper;
        this.baseUrl = settings.baseUrl();
        this.tokens = tokens;
        this.retryPolicy = new RetryPolicy(settings.baseUrl(), settings.retries());
        this.rateLimiter = new RateLimiter(settings.maxRequestsPerSecond());
        this.inFlight = new Semaphore(Math.max(1, settings.maxInFlight()));
        this.timeouts = settings.timeouts();
        this.listener = listener == null ? new ClientListener() {
        } : listener;
        this.budget = budget;
        this.budgetCorp = budgetCorp(settings.credentials().corpId(), tokens);
        this.priority = CallBudget.Priority.FRESH;
        this.listReader = new PageReader<>(mapper, GroupMsgApi.LIST, GroupMsg.class);
        this.taskReader = new PageReader<>(mapper, GroupMsgApi.TASK, GroupMsgTask.class);
        this.resultReader = new PageReader<>(mapper, GroupMsgApi.RESULT, GroupMsgSendResult.class);
    }

    /** A view of this client whose calls wait for the call budget with {@code priority}; all else is shared. */
    private WecomClient(WecomClient client, CallBudget.Priority priority) {
        this.transport = client.transport;
        this.mapper = client.mapper;
        this.baseUrl = client.baseUrl;
        this.tokens = client.tokens;
        this.retryPolicy = client.retryPolicy;
        this.rateLimiter = client.rateLimiter;
        this.inFlight = client.inFlight;
        this.timeouts = client.timeouts;
        this.listener = client.listener;
        this.budget = client.budget;
        this.budgetCorp = client.budgetCorp;
        this.priority = priority;
        this.listReader = client.listReader;
        this.taskReader = client.taskReader;
        this.resultReader = client.resultReader;
    }

    /**
     * This client, its calls queued with {@code priority} when the call budget binds: BACKFILL for history (a bounded
     * export, a following export's first pass), FRESH (the default) for follow mode's recent changes. Throttle,
     * requests in flight and tokens stay shared with this client.
     */
    public WecomClient withPriority(CallBudget.Priority priority) {
        return priority == this.priority ? this : new WecomClient(this, Objects.requireNonNull(priority, "priority"));
    }

    /** The corp the call budget counts this client's calls for. */
    public String budgetCorp() {
        return budgetCorp;
    }

    public CallBudget.Priority priority() {
        return priority;
    }

    /**
     * The corp of corpId/corpSecret or of the token provider; a provider that names none counts as a corp of its own.
     */
    private static String budgetCorp(String corpId, AccessTokenProvider tokens) {
        String id = corpId != null ? corpId : tokens.corpId();
        return id != null ? id : "tokenProvider@" + Integer.toHexString(System.identityHashCode(tokens));
    }

    public Page<GroupMsg> listPage(ListQuery query, int limit, long startTime, long endTime, String cursor) {
        ObjectNode body = mapper.createObjectNode()
                .put("chat_type", query.chatType().wireName())
                .put("start_time", startTime)
                .put("end_time", endTime)
                .put("filter_type", query.filterType())
                .put("limit", limit);
        if (query.creator() != null) {
            body.put("creator", query.creator());
        }
        return page(GroupMsgApi.LIST, body, cursor, listReader);
    }

    public Page<GroupMsgTask> taskPage(String msgid, int limit, String cursor) {
        ObjectNode body = mapper.createObjectNode().put("msgid", msgid).put("limit", limit);
        return withMsgid(page(GroupMsgApi.TASK, body, cursor, taskReader), msgid);
    }

    public Page<GroupMsgSendResult> resultPage(String msgid, String userid, int limit, String cursor) {
        ObjectNode body = mapper.createObjectNode().put("msgid", msgid).put("userid", userid).put("limit", limit);
        return withMsgid(page(GroupMsgApi.RESULT, body, cursor, resultReader), msgid);
    }

    /** WeCom leaves the msgid out of task and result records; each record carries it for the route. */
    private static <T extends MemberRecord> Page<T> withMsgid(Page<T> page, String msgid) {
        for (T record : page.records()) {
            record.setMsgid(msgid);
        }
        return page;
    }

    private <T> Page<T> page(GroupMsgApi api, ObjectNode body, String cursor, PageReader<T> reader) {
        if (cursor != null && !cursor.isEmpty()) {
            body.put("cursor", cursor);
        }
        return retryPolicy.run(api.path(), () -> callWithToken(api, body, reader),
                (failure, retry) -> listener.onRetry(api.path(), failure));
    }

    /**
     * Takes the token only once the request may go out (its place in flight, then in the call budget): a request that
     * waited with a token in hand would send a token that may have been replaced meanwhile, one more rejection per
     * waiting request.
     */
    private <T> Page<T> callWithToken(GroupMsgApi api, ObjectNode body, PageReader<T> reader) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WecomApiException(api.path(), WecomApiException.Kind.INTERRUPTED, "interrupted", false);
        }
        try {
            acquireBudget(api);
            String token = tokens.getAccessToken();
            try {
                return call(api, body, token, reader);
            } catch (WecomApiException e) {
                if (!e.isTokenRefused()) {
                    throw e;
                }
                listener.onTokenRejected(e.getErrcode());
                tokens.invalidate(token);
                acquireBudget(api);
                return call(api, body, tokens.getAccessToken(), reader);
            }
        } finally {
            inFlight.release();
        }
    }

    private void acquireBudget(GroupMsgApi api) {
        if (budget != null) {
            budget.acquire(budgetCorp, api, priority);
        }
    }

    private <T> Page<T> call(GroupMsgApi api, ObjectNode body, String token, PageReader<T> reader) {
        String url = baseUrl + "/cgi-bin/externalcontact/" + api.path() + "?access_token=" + token;
        boolean success = false;
        rateLimiter.acquire();
        try {
            HttpTransport.Response answer;
            try {
                answer = transport.postJson(url, body, timeouts);
            } finally {
                rateLimiter.release();
            }
            Page<T> page = reader.read(answer);
            success = true;
            return page;
        } catch (HttpTransport.Failed e) {
            throw WecomAnswer.transportFailure(api.path(), e);
        } catch (WecomApiException e) {
            if (e.getErrcode() == WecomErrcodes.FREQ_LIMIT && budget != null) {
                budget.refused(budgetCorp, api); // the retry then waits in the budget until WeCom's block ends
            }
            throw e;
        } finally {
            listener.onCall(api, success);
        }
    }
}
