package io.github.camelwecom.groupmsg;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.regex.Pattern;

import io.github.camelwecom.groupmsg.client.ClientSettings;
import io.github.camelwecom.groupmsg.client.ExportSpec;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.ListQuery;
import io.github.camelwecom.groupmsg.client.TimeSpec;

/**
 * A checked, typed view of a {@link WecomGroupMsgConfiguration}. Every wrong value fails here, when the route starts,
 * with a message that names the option and what is allowed.
 */
final class WecomGroupMsgOptions {

    static final long MAX_WINDOW_SECONDS = Duration.ofDays(31).toSeconds();
    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private final WecomGroupMsgConfiguration config;
    private final GroupMsgApi api;
    private final ZoneId zone;
    private final int limit;

    private WecomGroupMsgOptions(WecomGroupMsgConfiguration config, GroupMsgApi api, ZoneId zone, int limit) {
        this.config = config;
        this.api = api;
        this.zone = zone;
        this.limit = limit;
    }

    static WecomGroupMsgOptions validate(WecomGroupMsgConfiguration c, Clock clock) {
        GroupMsgApi api = GroupMsgApi.fromUriName(c.getApi());
        require(api != null, "api", c.getApi(), "one of list, task, result (wecom-groupmsg:list)");
        validateCredentials(c);
        validateBaseUrl(c.getBaseUrl());
        require("single".equals(c.getChatType()) || "group".equals(c.getChatType()), "chatType", c.getChatType(),
                "single or group");
        ZoneId zone;
        try {
            zone = ZoneId.of(c.getTimeZone());
        } catch (DateTimeException | NullPointerException e) {
            throw invalid("timeZone", c.getTimeZone(), "a time zone id such as Asia/Shanghai or UTC");
        }
        long start = parseTime("startTime", c.getStartTime(), zone, clock);
        if (c.getEndTime() != null) {
            long end = parseTime("endTime", c.getEndTime(), zone, clock);
            require(end >= start, "endTime", c.getEndTime(),
                    "a time not before startTime (" + c.getStartTime() + " = " + TimeSpec.format(start) + ")");
        }
        require(c.getFilterType() >= 0 && c.getFilterType() <= 2, "filterType", c.getFilterType(),
                "0 (enterprise), 1 (personal) or 2 (all)");
        int limit = c.getLimit() == null ? api.maxLimit() : c.getLimit();
        require(limit >= 1 && limit <= api.maxLimit(), "limit", c.getLimit(),
                "1.." + api.maxLimit() + " for " + api.uriName());
        require(c.getWindowSize() >= 1000 && c.getWindowSize() / 1000 <= MAX_WINDOW_SECONDS, "windowSize",
                Duration.ofMillis(c.getWindowSize()), "a duration from 1s to P31D (WeCom lists at most one month)");
        require(c.getOverlap() >= 0, "overlap", Duration.ofMillis(c.getOverlap()), "a duration of zero or more");
        require(c.getTrackChangesFor() >= 0, "trackChangesFor", Duration.ofMillis(c.getTrackChangesFor()),
                "a duration of zero or more");
        require(c.getReconcileInterval() == 0 || c.getReconcileInterval() >= 60_000, "reconcileInterval",
                Duration.ofMillis(c.getReconcileInterval()), "0 (off) or a duration of a minute or more");
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
        require(c.getMsgid() == null || api != GroupMsgApi.LIST, "msgid", c.getMsgid(),
                "only with task or result (list selects messages by time)");
        require(c.getUserid() == null || api == GroupMsgApi.RESULT, "userid", c.getUserid(), "only with result");
        return new WecomGroupMsgOptions(c, api, zone, limit);
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
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException | NullPointerException e) {
            throw invalid("baseUrl", baseUrl, "an https:// URL such as " + WecomGroupMsgConfiguration.DEFAULT_BASE_URL);
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        boolean ok = host != null && ("https".equalsIgnoreCase(scheme)
                || "http".equalsIgnoreCase(scheme) && isLoopback(host));
        require(ok, "baseUrl", baseUrl, "an https:// URL (http:// only for localhost test servers)");
    }

    private static boolean isLoopback(String host) {
        return "localhost".equalsIgnoreCase(host) || LOOPBACK_IPV4.matcher(host).matches() || "[::1]".equals(host)
               || "::1".equals(host);
    }

    private static long parseTime(String option, String value, ZoneId zone, Clock clock) {
        if (value == null) {
            throw invalid(option, null, "epoch seconds, an ISO date, an ISO date-time or a negative duration");
        }
        try {
            return TimeSpec.parse(value, zone, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid option " + option + "=" + value + ": " + e.getMessage());
        }
    }

    private static void require(boolean ok, String option, Object value, String allowed) {
        if (!ok) {
            throw invalid(option, value, allowed);
        }
    }

    private static IllegalArgumentException invalid(String option, Object value, String allowed) {
        return new IllegalArgumentException("Invalid option " + option + "=" + value + ": allowed is " + allowed);
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

    /** A producer header value in any of the time formats, or epoch seconds as a number. */
    long parseHeaderTime(String header, Object value, Clock clock) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return TimeSpec.parse(String.valueOf(value), zone, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid header " + header + "=" + value + ": " + e.getMessage());
        }
    }

    long windowSeconds() {
        return config.getWindowSize() / 1000;
    }

    ExportSpec exportSpec(GroupMsgApi api, String chatType, String msgid, String userid) {
        int pageLimit = api == this.api ? limit : api.maxLimit();
        int listLimit = api == GroupMsgApi.LIST ? pageLimit : GroupMsgApi.LIST.maxLimit();
        ListQuery query = new ListQuery(chatType, config.getCreator(), config.getFilterType(), listLimit);
        return new ExportSpec(api, query, windowSeconds(), msgid, userid, pageLimit, config.getConcurrency());
    }

    ExportSpec exportSpec() {
        return exportSpec(api, config.getChatType(), config.getMsgid(), config.getUserid());
    }

    ClientSettings clientSettings() {
        return new ClientSettings(stripTrailingSlash(config.getBaseUrl()), config.getCorpId(), config.getCorpSecret(),
                config.getAccessTokenProvider(), config.getMaxRetries(), Duration.ofMillis(config.getRetryDelay()),
                Duration.ofMillis(config.getMaxRetryDelay()), Duration.ofMillis(config.getConnectTimeout()),
                Duration.ofMillis(config.getResponseTimeout()), config.getMaxRequestsPerSecond(),
                config.getConcurrency());
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
