package io.github.camelwecom.groupmsg;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

import io.github.camelwecom.groupmsg.client.ChatType;
import io.github.camelwecom.groupmsg.client.ClientSettings;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.ListQuery;
import io.github.camelwecom.groupmsg.export.ExportSettings;
import io.github.camelwecom.groupmsg.export.ExportSpec;
import org.apache.camel.Message;
import org.apache.camel.PropertyBindingException;

/**
 * A checked, typed view of a {@link WecomGroupMsgConfiguration}. Every wrong value fails here, when the route starts,
 * with a message that names the option and what is allowed; a producer's headers of the same meaning are checked by the
 * same rules ({@link #select}).
 */
final class WecomGroupMsgOptions {

    static final long MAX_WINDOW_SECONDS = Duration.ofDays(31).toSeconds();
    private static final String CHAT_TYPES = "single or group";
    private static final String TIME_FORMATS = "epoch seconds, an ISO date, an ISO date-time or a negative duration";

    private final WecomGroupMsgConfiguration config;
    private final GroupMsgApi api;
    private final ZoneId zone;
    private final int limit;

    /** What a producer call reads: the options with the headers of the same meaning in their place. */
    record Selection(ExportSpec spec, long start, long end) {
    }

    /** Where a value came from, for the message that says it is wrong. */
    private enum Source {
        OPTION,
        HEADER;

        IllegalArgumentException invalid(String option, Object value, String allowed) {
            return new IllegalArgumentException("Invalid " + name(option) + "=" + value + ": allowed is " + allowed);
        }

        String name(String option) {
            return (this == OPTION ? "option " : "header ") + label(option);
        }

        /** The option, or the header that stands for it. */
        String label(String option) {
            return this == OPTION ? option : switch (option) {
                case "chatType" -> WecomGroupMsgConstants.CHAT_TYPE;
                case "msgid" -> WecomGroupMsgConstants.MSG_ID;
                case "userid" -> WecomGroupMsgConstants.USER_ID;
                case "startTime" -> WecomGroupMsgConstants.START_TIME;
                case "endTime" -> WecomGroupMsgConstants.END_TIME;
                default -> option;
            };
        }
    }

    private WecomGroupMsgOptions(WecomGroupMsgConfiguration config, GroupMsgApi api, ZoneId zone, int limit) {
        this.config = config;
        this.api = api;
        this.zone = zone;
        this.limit = limit;
    }

    /** A value Camel could not convert to an enum option's type, said as every other wrong option is. */
    static RuntimeException explain(PropertyBindingException e) {
        if ("chatType".equals(e.getPropertyName())) {
            return invalid("chatType", e.getValue(), CHAT_TYPES);
        }
        return e;
    }

    /** The api of {@code wecom-groupmsg:api}. */
    static GroupMsgApi api(String uriPath) {
        GroupMsgApi api = GroupMsgApi.fromUriName(uriPath);
        require(api != null, "api", uriPath, "one of list, task, result (wecom-groupmsg:list)");
        return api;
    }

    static WecomGroupMsgOptions validate(WecomGroupMsgConfiguration c, Clock clock) {
        GroupMsgApi api = c.getApi();
        require(api != null, "api", null, "one of list, task, result (wecom-groupmsg:list)");
        validateCredentials(c);
        validateBaseUrl(c.getBaseUrl());
        require(c.getChatType() != null, "chatType", null, CHAT_TYPES);
        ZoneId zone = validateRange(c, clock);
        require(c.getFilterType() >= 0 && c.getFilterType() <= 2, "filterType", c.getFilterType(),
                "0 (enterprise), 1 (personal) or 2 (all)");
        int limit = c.getLimit() == null ? api.maxLimit() : c.getLimit();
        require(limit >= 1 && limit <= api.maxLimit(), "limit", c.getLimit(),
                "1.." + api.maxLimit() + " for " + api.uriName());
        validateDurations(c);
        validateCalls(c);
        checkSelection(Source.OPTION, api, c.getMsgid(), c.getUserid());
        return new WecomGroupMsgOptions(c, api, zone, limit);
    }

    /** @return the time zone dates are read in */
    private static ZoneId validateRange(WecomGroupMsgConfiguration c, Clock clock) {
        ZoneId zone;
        try {
            zone = ZoneId.of(c.getTimeZone());
        } catch (DateTimeException | NullPointerException e) {
            throw invalid("timeZone", c.getTimeZone(), "a time zone id such as Asia/Shanghai or UTC");
        }
        long start = parseTime(Source.OPTION, "startTime", c.getStartTime(), zone, clock);
        if (c.getEndTime() != null) {
            checkRange(Source.OPTION, c.getStartTime(), start, c.getEndTime(),
                    parseTime(Source.OPTION, "endTime", c.getEndTime(), zone, clock));
        }
        return zone;
    }

    private static void validateDurations(WecomGroupMsgConfiguration c) {
        require(c.getWindowSize() >= 1000 && c.getWindowSize() / 1000 <= MAX_WINDOW_SECONDS, "windowSize",
                Duration.ofMillis(c.getWindowSize()), "a duration from 1s to P31D (WeCom lists at most one month)");
        require(c.getOverlap() >= 0, "overlap", Duration.ofMillis(c.getOverlap()), "a duration of zero or more");
        require(c.getSummaryInterval() >= 0, "summaryInterval", Duration.ofMillis(c.getSummaryInterval()),
                "0 (off) or a duration");
        require(c.getTrackChangesFor() >= 0, "trackChangesFor", Duration.ofMillis(c.getTrackChangesFor()),
                "a duration of zero or more");
        require(c.getReconcileInterval() == 0 || c.getReconcileInterval() >= 60_000, "reconcileInterval",
                Duration.ofMillis(c.getReconcileInterval()), "0 (off) or a duration of a minute or more");
    }

    /** The options that shape the calls: batches, concurrency, rate, retries and timeouts. */
    private static void validateCalls(WecomGroupMsgConfiguration c) {
        require(c.getMaxMessagesPerPoll() >= 0, "maxMessagesPerPoll", c.getMaxMessagesPerPoll(),
                "0 (one page) or more records per batch");
        require(c.getConcurrency() >= 1 && c.getConcurrency() <= 64, "concurrency", c.getConcurrency(), "1..64");
        require(c.getMaxRequestsPerSecond() >= 0, "maxRequestsPerSecond", c.getMaxRequestsPerSecond(),
                "0 (no limit) or more");
        require(c.getMaxRetries() >= 0, "maxRetries", c.getMaxRetries(), "0 or more");
        require(c.getRetryDelay() >= 0, "retryDelay", Duration.ofMillis(c.getRetryDelay()), "zero or more");
        require(c.getMaxRetryDelay() >= c.getRetryDelay(), "maxRetryDelay", Duration.ofMillis(c.getMaxRetryDelay()),
                "at least retryDelay (" + Duration.ofMillis(c.getRetryDelay()) + ")");
        require(c.getConnectTimeout() > 0, "connectTimeout", Duration.ofMillis(c.getConnectTimeout()),
                "a positive duration");
        require(c.getResponseTimeout() > 0, "responseTimeout", Duration.ofMillis(c.getResponseTimeout()),
                "a positive duration");
    }

    private static void checkSelection(Source source, GroupMsgApi api, String msgid, String userid) {
        if (msgid != null && api == GroupMsgApi.LIST) {
            throw source.invalid("msgid", msgid, "only with task or result (list selects messages by time)");
        }
        if (userid != null && api != GroupMsgApi.RESULT) {
            throw source.invalid("userid", userid, "only with result");
        }
    }

    private static void checkRange(Source source, Object startValue, long start, Object endValue, long end) {
        if (end < start) {
            throw source.invalid("endTime", endValue, "a time not before " + source.label("startTime") + " ("
                    + startValue + " = " + TimeSpec.format(start) + ")");
        }
    }

    private static void validateCredentials(WecomGroupMsgConfiguration c) {
        boolean secret = c.getCorpId() != null || c.getCorpSecret() != null;
        if (c.getAccessTokenProvider() != null) {
            if (secret) {
                throw new IllegalArgumentException("Invalid option accessTokenProvider: it replaces corpId and "
                        + "corpSecret; set either accessTokenProvider or corpId and "
                        + "corpSecret, not both");
            }
            return;
        }
        if (!secret) {
            throw new IllegalArgumentException("No credentials: set corpId and corpSecret, or accessTokenProvider");
        }
        require(c.getCorpId() != null && !c.getCorpId().isBlank(), "corpId", c.getCorpId(),
                "the corp ID (企业ID) that goes with corpSecret");
        if (c.getCorpSecret() == null || c.getCorpSecret().isBlank()) {
            throw new IllegalArgumentException(
                    "Invalid option corpSecret: missing; set the app secret that goes with corpId " + c.getCorpId());
        }
    }

    private static void validateBaseUrl(String baseUrl) {
        require(ClientSettings.isSafeBaseUrl(baseUrl), "baseUrl", baseUrl, ClientSettings.ALLOWED_BASE_URL);
    }

    private static long parseTime(Source source, String option, String value, ZoneId zone, Clock clock) {
        if (value == null) {
            throw source.invalid(option, null, TIME_FORMATS);
        }
        try {
            return TimeSpec.parse(value, zone, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid " + source.name(option) + "=" + value + ": " + e.getMessage());
        }
    }

    private static void require(boolean ok, String option, Object value, String allowed) {
        if (!ok) {
            throw invalid(option, value, allowed);
        }
    }

    private static IllegalArgumentException invalid(String option, Object value, String allowed) {
        return Source.OPTION.invalid(option, value, allowed);
    }

    GroupMsgApi api() {
        return api;
    }

    WecomGroupMsgConfiguration config() {
        return config;
    }

    /** startTime in epoch seconds, resolved now (relative durations count back from {@code clock}). */
    long startEpoch(Clock clock) {
        return TimeSpec.parse(config.getStartTime(), zone, clock);
    }

    /** endTime in epoch seconds, or null when absent (follow mode). */
    Long endEpoch(Clock clock) {
        return config.getEndTime() == null ? null : TimeSpec.parse(config.getEndTime(), zone, clock);
    }

    /** Epoch seconds in the time zone the user gave dates in, for log lines. */
    String format(long epochSecond) {
        return TimeSpec.format(epochSecond, zone);
    }

    long windowSeconds() {
        return config.getWindowSize() / 1000;
    }

    /** What a consumer reads. */
    ExportSpec exportSpec() {
        return exportSpec(config.getChatType(), config.getMsgid(), config.getUserid());
    }

    /**
     * How an export of {@code spec} (the consumer's, or a producer call's) runs: each following pass reads again the
     * larger of overlap and, for task and result, trackChangesFor.
     */
    ExportSettings exportSettings(ExportSpec spec) {
        long overlap = config.getOverlap() / 1000;
        long track = spec.api() == GroupMsgApi.LIST ? 0 : config.getTrackChangesFor() / 1000;
        return new ExportSettings(spec, Math.max(overlap, track), config.getReconcileInterval() / 1000,
                config.isSkipUnreadableMessages());
    }

    private ExportSpec exportSpec(ChatType chatType, String msgid, String userid) {
        return new ExportSpec(api, new ListQuery(chatType, config.getCreator(), config.getFilterType()),
                windowSeconds(), msgid, userid, limit, config.getConcurrency());
    }

    /**
     * What a producer call reads: each header of {@link WecomGroupMsgConstants} that means an option replaces it,
     * converted with Camel's type converters and checked as the option is. The end defaults to now.
     */
    Selection select(Message in, Clock clock) {
        ChatType chatType = config.getChatType();
        Object chatHeader = in.getHeader(WecomGroupMsgConstants.CHAT_TYPE);
        if (chatHeader != null) {
            chatType = chatHeader instanceof ChatType t ? t : ChatType.fromWireName(header(in, chatHeader));
            if (chatType == null) {
                throw Source.HEADER.invalid("chatType", chatHeader, CHAT_TYPES);
            }
        }
        String msgid = in.getHeader(WecomGroupMsgConstants.MSG_ID, config.getMsgid(), String.class);
        String userid = in.getHeader(WecomGroupMsgConstants.USER_ID, config.getUserid(), String.class);
        checkSelection(Source.HEADER, api, msgid, userid);
        long start = time(in, WecomGroupMsgConstants.START_TIME, "startTime", startEpoch(clock), clock);
        Long configuredEnd = endEpoch(clock);
        long end = time(in, WecomGroupMsgConstants.END_TIME, "endTime",
                configuredEnd != null ? configuredEnd : clock.instant().getEpochSecond(), clock);
        checkRange(Source.HEADER, in.getHeader(WecomGroupMsgConstants.START_TIME, config.getStartTime()), start,
                in.getHeader(WecomGroupMsgConstants.END_TIME, end), end);
        return new Selection(exportSpec(chatType, msgid, userid), start, end);
    }

    /** A time header: epoch seconds as a number, or text in any of the options' formats. */
    private long time(Message in, String header, String option, long otherwise, Clock clock) {
        Object value = in.getHeader(header);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        return parseTime(Source.HEADER, option, header(in, value), zone, clock);
    }

    private static String header(Message in, Object value) {
        return in.getExchange().getContext().getTypeConverter().convertTo(String.class, in.getExchange(), value);
    }

    ClientSettings clientSettings() {
        ClientSettings.Credentials credentials = config.getAccessTokenProvider() != null
                ? ClientSettings.Credentials.ofProvider(config.getAccessTokenProvider())
                : ClientSettings.Credentials.ofSecret(config.getCorpId(), config.getCorpSecret());
        return new ClientSettings(config.getBaseUrl(), credentials,
                new ClientSettings.Retries(config.getMaxRetries(), Duration.ofMillis(config.getRetryDelay()),
                        Duration.ofMillis(config.getMaxRetryDelay())),
                new ClientSettings.Timeouts(Duration.ofMillis(config.getConnectTimeout()),
                        Duration.ofMillis(config.getResponseTimeout())),
                config.getMaxRequestsPerSecond(), config.getConcurrency());
    }
}
