package io.github.camelwecom.groupmsg.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One cached WeCom token (an access_token or a suite_access_token): however many threads ask at once, one request is in
 * flight; the token is handed out until shortly before it expires and dropped when WeCom rejects it. A refusal that
 * asking again cannot change (wrong secret, IP not trusted, app not allowed, authorization cancelled) is reported, not
 * retried, and the token API is not asked again for a while: WeCom blocks an IP that keeps asking with a wrong secret.
 */
final class TokenCache {

    private static final Duration MAX_REFRESH_MARGIN = Duration.ofMinutes(5);
    /**
     * After a refusal the token API is not asked again for 1 minute (about what a fixed trusted IP takes to apply),
     * then twice as long after each further refusal, at most 1 hour (how long WeCom blocks an IP for wrong secrets): a
     * few calls in the first hour, then one an hour. Corrected credentials are another cache, asked at once.
     */
    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    /** What a token API answered: the token and its lifetime in seconds. */
    record Issued(String value, long expiresIn) {
    }

    /** One request to a token API. */
    @FunctionalInterface
    interface Request {
        HttpTransport.Response send() throws HttpTransport.Failed;
    }

    private final String api;
    private final String holder;
    private final RetryPolicy.Call<Issued> fetch;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final Logger log;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Token current;
    private volatile Refusal refusal;
    private volatile long fetches;
    /** Fetches that failed after their retries, and the last such failure. */
    private volatile long failures;
    private volatile WecomApiException lastFailure;

    /** A token, when WeCom says it expires, and when to ask for a new one. */
    private record Token(String value, long expiresAtMillis, long refreshAtMillis) {
    }

    /** The last refusal, the how-many-th in a row it was, and when the token API may be asked again. */
    private record Refusal(WecomApiException failure, int count, long atMillis, long retryAtMillis) {
    }

    /**
     * @param api the token API {@code fetch} calls; only its own refusals back off, not those of a token it needs first
     * @param holder whose token it is, for log lines: "corp ww…", "suite ww…"; never a secret
     * @param log the logger of the class the cache serves
     */
    TokenCache(TokenApi api, String holder, RetryPolicy.Call<Issued> fetch, RetryPolicy retryPolicy, Clock clock,
            Logger log) {
        this.api = api.apiName();
        this.holder = holder;
        this.fetch = fetch;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
        this.log = log;
    }

    /** Reads a token API's answer; transport failures lose the URL's query. */
    static Issued ask(ObjectMapper mapper, TokenApi api, Request request) {
        try {
            return WecomAnswer.read(mapper, api.apiName(), request.send(), new Answer(api.apiName(),
                    api.tokenField()));
        } catch (HttpTransport.Failed e) {
            throw WecomAnswer.transportFailure(api.apiName(), e);
        }
    }

    String get() {
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
                    // the fetch failed, retries and all, while this caller waited: asking again at once would only
                    // repeat those retries once per waiting thread
                    throw failedMeanwhile;
                }
                refuseWhileBackingOff();
                try {
                    token = retryPolicy.run(api, this::fetch, null);
                } catch (WecomApiException e) {
                    if (e.isAboutTheApp() && api.equals(e.getApi())) {
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

    /** WeCom rejected {@code token}: the next {@link #get()} fetches another, unless a newer one is held already. */
    void invalidate(String token) {
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

    /** How many fetches answered with a new token. */
    long fetches() {
        return fetches;
    }

    /** Fails at once, without a call, while the token API must not be asked again after a refusal. */
    private void refuseWhileBackingOff() {
        Refusal last = refusal;
        if (last != null && clock.millis() < last.retryAtMillis()) {
            WecomApiException e = last.failure();
            throw e.adding("; " + api + " was refused at " + instant(last.atMillis()) + " and is not asked again "
                    + "before " + instant(last.retryAtMillis()) + " so that WeCom does not block this "
                    + "server's IP");
        }
    }

    private void backOff(WecomApiException failure) {
        Refusal last = refusal;
        int count = last == null ? 1 : last.count() + 1;
        long backoff = Math.min(FIRST_BACKOFF.toMillis() << Math.min(count - 1, 20), MAX_BACKOFF.toMillis());
        long now = clock.millis();
        refusal = new Refusal(failure, count, now, now + backoff);
        // a cancelled authorization: the consumer that meets it stops its route and says so, a producer's exchange
        // fails with it; one line is enough
        log.atLevel(failure.isAuthorizationCancelled() ? Level.DEBUG : Level.WARN)
                .log("{} for {} was refused (errcode {}); not asked again before {}", api, holder,
                        failure.getErrcode(), instant(now + backoff));
    }

    private static Instant instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS);
    }

    private Token fetch() {
        Issued issued = fetch.execute();
        long now = clock.millis();
        long lifetimeMillis = issued.expiresIn() * 1000;
        Token held = current;
        if (held != null && held.value().equals(issued.value())) {
            // WeCom hands out the same token until it expires: keep it to its end, then a new one comes
            long expiresAt = Math.min(held.expiresAtMillis(), now + lifetimeMillis);
            return new Token(issued.value(), expiresAt, expiresAt);
        }
        long margin = Math.min(MAX_REFRESH_MARGIN.toMillis(), lifetimeMillis / 10);
        fetches++;
        log.debug("{} for {}: a token valid for {} s", api, holder, issued.expiresIn());
        return new Token(issued.value(), now + lifetimeMillis, now + lifetimeMillis - margin);
    }

    /** A token API's own fields: the token (in {@code field}) and its lifetime in seconds. */
    private static final class Answer implements WecomAnswer.Fields<Issued> {
        private final String api;
        private final String field;
        private String value = "";
        private long expiresIn;

        Answer(String api, String field) {
            this.api = api;
            this.field = field;
        }

        @Override
        public void read(String name, JsonParser parser) throws IOException {
            if (name.equals(field)) {
                value = parser.getValueAsString("");
            } else if (name.equals("expires_in")) {
                expiresIn = parser.getValueAsLong(0);
            }
        }

        @Override
        public Issued result(boolean errcodePresent) {
            if (value.isEmpty() || expiresIn <= 0) {
                throw WecomAnswer.garbled(api, "answer has no " + field + " or expires_in");
            }
            return new Issued(value, expiresIn);
        }
    }
}
