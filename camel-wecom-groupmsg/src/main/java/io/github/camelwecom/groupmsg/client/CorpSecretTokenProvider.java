package io.github.camelwecom.groupmsg.client;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the access_token with corpId and corpSecret (gettoken), caches it, and refreshes it shortly before it expires.
 * However many threads ask at once, one request is in flight. A refusal that asking again cannot change (wrong
 * corpId or secret, IP not trusted, app not allowed) is reported, not retried, and gettoken is not asked again for a
 * while: WeCom blocks an IP that keeps asking with a wrong secret.
 */
public final class CorpSecretTokenProvider implements AccessTokenProvider {

    static final String GETTOKEN = "gettoken";
    private static final Logger LOG = LoggerFactory.getLogger(CorpSecretTokenProvider.class);
    private static final Duration MAX_REFRESH_MARGIN = Duration.ofMinutes(5);
    /**
     * After a refusal gettoken is not asked again for 1 minute (about what a fixed trusted IP takes to apply), then
     * twice as long after each further refusal, at most 1 hour (how long WeCom blocks an IP for wrong secrets): a
     * few calls in the first hour, then one an hour. A corrected secret is another provider, asked at once.
     */
    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String corpId;
    private final String corpSecret;
    private final RetryPolicy retryPolicy;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Token current;
    private volatile Refusal refusal;
    private volatile long fetches;
    /** gettoken calls that failed after their retries, and the last such failure. */
    private volatile long failures;
    private volatile WecomApiException lastFailure;

    /** A token, when WeCom says it expires, and when to ask for a new one. */
    private record Token(String value, long expiresAtMillis, long refreshAtMillis) {
    }

    /** The last refusal of gettoken, the how-many-th in a row it was, and when gettoken may be asked again. */
    private record Refusal(WecomApiException failure, int count, long atMillis, long retryAtMillis) {
    }

    public CorpSecretTokenProvider(HttpTransport transport, ObjectMapper mapper, String baseUrl, String corpId,
                                   String corpSecret, RetryPolicy retryPolicy, Duration connectTimeout,
                                   Duration responseTimeout, Clock clock) {
        this.transport = transport;
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.corpId = corpId;
        this.corpSecret = corpSecret;
        this.retryPolicy = retryPolicy;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.clock = clock;
    }

    @Override
    public String getAccessToken() {
        Token token = current;
        if (token != null && clock.millis() < token.refreshAtMillis()) {
            return token.value();
        }
        long failuresBefore = failures;
        lock.lock();
        try {
            token = current;
            if (token == null || clock.millis() >= token.refreshAtMillis()) {
                WecomApiException failedMeanwhile = lastFailure;
                if (failures != failuresBefore && failedMeanwhile != null) {
                    // gettoken failed, retries and all, while this caller waited: asking again at once would only
                    // repeat those retries once per waiting thread
                    throw failedMeanwhile;
                }
                refuseWhileBackingOff();
                try {
                    token = retryPolicy.run(GETTOKEN, this::fetch, null);
                } catch (WecomApiException e) {
                    if (WecomErrcodes.isAboutTheApp(e.getErrcode())) {
                        backOff(e);
                    }
                    lastFailure = e;
                    failures++;
                    throw e;
                }
                refusal = null;
                current = token;
            }
            return token.value();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void invalidate(String token) {
        lock.lock();
        try {
            Token held = current;
            if (held != null && held.value().equals(token)) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fails at once, without a call, while gettoken must not be asked again after a refusal. */
    private void refuseWhileBackingOff() {
        Refusal last = refusal;
        if (last != null && clock.millis() < last.retryAtMillis()) {
            WecomApiException e = last.failure();
            throw new WecomApiException(GETTOKEN, e.getErrcode(), e.getErrmsg() + "; gettoken was refused at "
                    + instant(last.atMillis()) + " and is not asked again before " + instant(last.retryAtMillis())
                    + " so that WeCom does not block this server's IP", false, null);
        }
    }

    private void backOff(WecomApiException failure) {
        Refusal last = refusal;
        int count = last == null ? 1 : last.count() + 1;
        long backoff = Math.min(FIRST_BACKOFF.toMillis() << Math.min(count - 1, 20), MAX_BACKOFF.toMillis());
        long now = clock.millis();
        refusal = new Refusal(failure, count, now, now + backoff);
        LOG.warn("gettoken for corp {} was refused (errcode {}); not asked again before {}", corpId,
                failure.getErrcode(), instant(now + backoff));
    }

    private static Instant instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS);
    }

    /** How many gettoken calls answered with a token. */
    public long tokenFetches() {
        return fetches;
    }

    private Token fetch() {
        String url = baseUrl + "/cgi-bin/gettoken?corpid=" + encode(corpId) + "&corpsecret=" + encode(corpSecret);
        Issued issued;
        try {
            issued = WecomAnswer.read(mapper, GETTOKEN, transport.get(url, connectTimeout, responseTimeout),
                    new Issued());
        } catch (IOException e) {
            throw WecomAnswer.transportFailure(GETTOKEN, e);
        } catch (WecomApiException e) {
            if (e.getErrcode() == 40001 || e.getErrcode() == 40013) {
                throw new WecomApiException(GETTOKEN, e.getErrcode(),
                        e.getErrmsg() + " (check corpId " + corpId + " and corpSecret)", false, null);
            }
            throw e;
        }
        long now = clock.millis();
        long lifetimeMillis = issued.expiresIn * 1000;
        Token held = current;
        if (held != null && held.value().equals(issued.value)) {
            // WeCom hands out the same token until it expires: keep it to its end, then a new one comes
            long expiresAt = Math.min(held.expiresAtMillis(), now + lifetimeMillis);
            return new Token(issued.value, expiresAt, expiresAt);
        }
        long margin = Math.min(MAX_REFRESH_MARGIN.toMillis(), lifetimeMillis / 10);
        fetches++;
        LOG.debug("Got an access_token for corp {} valid for {} s", corpId, issued.expiresIn);
        return new Token(issued.value, now + lifetimeMillis, now + lifetimeMillis - margin);
    }

    /** gettoken's own fields: the token and its lifetime in seconds. */
    private static final class Issued implements WecomAnswer.Fields<Issued> {
        private String value = "";
        private long expiresIn;

        @Override
        public void read(String name, JsonParser parser) throws IOException {
            if (name.equals("access_token")) {
                value = parser.getValueAsString("");
            } else if (name.equals("expires_in")) {
                expiresIn = parser.getValueAsLong(0);
            }
        }

        @Override
        public Issued result(boolean errcodePresent) {
            if (value.isEmpty() || expiresIn <= 0) {
                throw WecomAnswer.garbled(GETTOKEN, "answer has no access_token or expires_in");
            }
            return this;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
