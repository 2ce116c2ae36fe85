package io.github.camelwecom.groupmsg.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;

/**
 * Fetches one page of each WeCom mass-message API: adds the access_token, throttles, limits requests in flight,
 * retries what the retry policy allows, and repeats a call once with a fresh token when WeCom rejects the token.
 */
public class WecomClient {

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final AccessTokenProvider tokens;
    private final RetryPolicy retryPolicy;
    private final RateLimiter rateLimiter;
    private final Semaphore inFlight;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final ClientListener listener;

    /** Told about every call's outcome (metrics); the default does nothing. */
    public interface ClientListener {
        default void onCall(GroupMsgApi api, boolean success) {
        }

        default void onRetry(String api, WecomApiException failure) {
        }

        default void onTokenRejected(int errcode) {
        }
    }

    public WecomClient(HttpTransport transport, ObjectMapper mapper, String baseUrl, AccessTokenProvider tokens,
                       RetryPolicy retryPolicy, RateLimiter rateLimiter, int maxInFlight, Duration connectTimeout,
                       Duration responseTimeout, ClientListener listener) {
        this.transport = transport;
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.tokens = tokens;
        this.retryPolicy = retryPolicy;
        this.rateLimiter = rateLimiter;
        this.inFlight = new Semaphore(Math.max(1, maxInFlight));
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.listener = listener == null ? new ClientListener() {
        } : listener;
    }

    public Page<GroupMsg> listPage(ListQuery query, long startTime, long endTime, String cursor) {
        ObjectNode body = mapper.createObjectNode()
                .put("chat_type", query.chatType())
                .put("start_time", startTime)
                .put("end_time", endTime)
                .put("filter_type", query.filterType())
                .put("limit", query.limit());
        if (query.creator() != null) {
            body.put("creator", query.creator());
        }
        return page(GroupMsgApi.LIST, body, cursor, GroupMsg.class, null);
    }

    public Page<GroupMsgTask> taskPage(String msgid, int limit, String cursor) {
        ObjectNode body = mapper.createObjectNode().put("msgid", msgid).put("limit", limit);
        return page(GroupMsgApi.TASK, body, cursor, GroupMsgTask.class, msgid);
    }

    public Page<GroupMsgSendResult> resultPage(String msgid, String userid, int limit, String cursor) {
        ObjectNode body = mapper.createObjectNode().put("msgid", msgid).put("userid", userid).put("limit", limit);
        return page(GroupMsgApi.RESULT, body, cursor, GroupMsgSendResult.class, msgid);
    }

    private <T> Page<T> page(GroupMsgApi api, ObjectNode body, String cursor, Class<T> type, String msgid) {
        if (cursor != null && !cursor.isEmpty()) {
            body.put("cursor", cursor);
        }
        return retryPolicy.run(api.path(), () -> toPage(api, callWithToken(api, body), type, msgid),
                (failure, retry) -> listener.onRetry(api.path(), failure));
    }

    /** The page in an answer; a garbled one is a retriable failure, since skipping it would lose records. */
    private <T> Page<T> toPage(GroupMsgApi api, JsonNode json, Class<T> type, String msgid) {
        JsonNode records = json.get(api.recordsField());
        JsonNode next = json.get("next_cursor");
        if (records == null || !records.isArray()) {
            throw garbled(api, api.recordsField() + (records == null ? " is missing" : " is not an array"));
        }
        if (next != null && !next.isNull() && !next.isTextual()) {
            throw garbled(api, "next_cursor is not a string");
        }
        List<T> list = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            if (msgid != null && record.isObject()) {
                ((ObjectNode) record).put("msgid", msgid);
            }
            try {
                list.add(mapper.treeToValue(record, type));
            } catch (IOException | IllegalArgumentException e) {
                throw garbled(api, "a record does not fit " + type.getSimpleName() + " ("
                                   + e.getClass().getSimpleName() + ")");
            }
        }
        return new Page<>(list, next == null || next.isNull() ? "" : next.asText());
    }

    private static WecomApiException garbled(GroupMsgApi api, String what) {
        return new WecomApiException(api.path(), WecomApiException.NO_ERRCODE, "garbled answer: " + what, true, null);
    }

    private JsonNode callWithToken(GroupMsgApi api, ObjectNode body) {
        String token = tokens.getAccessToken();
        try {
            return call(api, body, token);
        } catch (WecomApiException e) {
            if (!RetryPolicy.isTokenErrcode(e.getErrcode())) {
                throw e;
            }
            listener.onTokenRejected(e.getErrcode());
            tokens.invalidate(token);
            return call(api, body, tokens.getAccessToken());
        }
    }

    private JsonNode call(GroupMsgApi api, ObjectNode body, String token) {
        String url = baseUrl + "/cgi-bin/externalcontact/" + api.path() + "?access_token=" + token;
        rateLimiter.acquire();
        boolean success = false;
        try {
            inFlight.acquire();
            try {
                JsonNode json = WecomResponses.parse(mapper, api.path(),
                        transport.postJson(url, mapper.writeValueAsBytes(body), connectTimeout, responseTimeout));
                success = true;
                return json;
            } finally {
                inFlight.release();
            }
        } catch (IOException e) {
            throw WecomResponses.transportFailure(api.path(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WecomApiException(api.path(), WecomApiException.NO_ERRCODE, "interrupted", false, e);
        } finally {
            listener.onCall(api, success);
        }
    }
}
