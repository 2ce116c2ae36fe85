package io.github.camelwecom.groupmsg.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WeCom third-party app (suite), or a 代开发 app template: hands out, per corp that authorized it, the
 * {@link AccessTokenProvider} to set as a route's {@code accessTokenProvider} ({@link #forCorp}).
 *
 * <p>
 * The suite_access_token (get_suite_token: suite id, secret and the latest suite_ticket) is shared by every corp of the
 * suite: one request however many corps and threads need it, refreshed shortly before it expires. The ticket is read
 * from {@code suiteTicket} each time a suite token is fetched: WeCom pushes a new one to the app's callback URL every
 * 10 minutes, and the user's callback handler keeps the latest where the supplier finds it.
 *
 * <pre>{@code
 * WecomSuite suite = WecomSuite.builder("ww-suite-id", suiteSecret, ticketStore::latest).build();
 * AccessTokenProvider tokens = suite.forCorp("ww-corp-id", permanentCode);
 * }</pre>
 */
public final class WecomSuite {

    private static final Logger LOG = LoggerFactory.getLogger(WecomSuite.class);

    private final String baseUrl;
    private final String suiteId;
    private final String suiteSecret;
    private final Supplier<String> suiteTicket;
    private final HttpTransport transport = new HttpTransport();
    private final ObjectMapper mapper = WecomClientFactory.newObjectMapper();
    private final Clock clock;
    private final ClientSettings.Retries retries;
    private final ClientSettings.Timeouts timeouts;
    private final TokenCache token;
    /** The provider of each corp, so that every route of a corp shares its token. */
    private final Map<String, SuiteCorpTokenProvider> corps = new ConcurrentHashMap<>();

    private WecomSuite(Builder b) {
        this.baseUrl = ClientSettings.checkedBaseUrl(b.baseUrl);
        this.suiteId = b.suiteId;
        this.suiteSecret = b.suiteSecret;
        this.suiteTicket = b.suiteTicket;
        this.clock = b.clock;
        this.retries = b.retries;
        this.timeouts = b.timeouts;
        this.token = new TokenCache(TokenApi.GET_SUITE_TOKEN, "suite " + suiteId, this::fetch, retryPolicy(), clock,
                LOG);
    }

    /**
     * @param suiteTicket returns the latest suite_ticket WeCom pushed to the app's callback URL (null or empty while
     * none has come)
     */
    public static Builder builder(String suiteId, String suiteSecret, Supplier<String> suiteTicket) {
        return new Builder(suiteId, suiteSecret, suiteTicket);
    }

    /**
     * The access_token provider of a corp that authorized this suite: get_corp_token with the corp's permanent code,
     * cached and refreshed like the suite token. The same provider comes back for the same corp and code; a new code
     * (the corp authorized the app again) gives a new provider.
     */
    public AccessTokenProvider forCorp(String corpId, String permanentCode) {
        requireText(corpId, "corpId");
        requireText(permanentCode, "permanentCode");
        return corps.compute(corpId, (id, held) -> held != null && held.hasPermanentCode(permanentCode) ? held
                : new SuiteCorpTokenProvider(this, corpId, permanentCode, retryPolicy(), clock));
    }

    String getSuiteId() {
        return suiteId;
    }

    @Override
    public String toString() {
        return "WecomSuite[suite " + suiteId + ", " + baseUrl + "]";
    }

    String suiteToken() {
        return token.get();
    }

    void invalidateSuiteToken(String suiteToken) {
        token.invalidate(suiteToken);
    }

    /** Posts {@code body} to a service API, with {@code query} (or "") after its path. */
    HttpTransport.Response post(String path, String query, ObjectNode body) throws HttpTransport.Failed {
        return transport.postJson(baseUrl + path + query, body, timeouts);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private RetryPolicy retryPolicy() {
        return new RetryPolicy(baseUrl, retries);
    }

    private TokenCache.Issued fetch() {
        String ticket = suiteTicket.get();
        if (ticket == null || ticket.isBlank()) {
            throw new WecomApiException(TokenApi.GET_SUITE_TOKEN.apiName(), WecomApiException.Kind.NOT_ASKED,
                    "no suite_ticket for suite " + suiteId + " yet: WeCom pushes one to the app's callback URL every "
                            + "10 minutes, and the suite ticket supplier must return the latest",
                    false);
        }
        ObjectNode body = mapper.createObjectNode().put("suite_id", suiteId).put("suite_secret", suiteSecret)
                .put("suite_ticket", ticket);
        return TokenCache.ask(mapper, TokenApi.GET_SUITE_TOKEN, () -> post(TokenApi.GET_SUITE_TOKEN.path(), "", body));
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }

    /** The suite's id, secret and ticket supplier, and where and how its token calls go. */
    public static final class Builder {
        private final String suiteId;
        private final String suiteSecret;
        private final Supplier<String> suiteTicket;
        private String baseUrl = ClientSettings.DEFAULT_BASE_URL;
        private Clock clock = Clock.systemUTC();
        private ClientSettings.Retries retries = ClientSettings.Retries.DEFAULT;
        private ClientSettings.Timeouts timeouts = ClientSettings.Timeouts.DEFAULT;

        private Builder(String suiteId, String suiteSecret, Supplier<String> suiteTicket) {
            this.suiteId = requireText(suiteId, "suiteId");
            this.suiteSecret = requireText(suiteSecret, "suiteSecret");
            this.suiteTicket = Objects.requireNonNull(suiteTicket, "suiteTicket");
        }

        /** WeCom's API root; default https://qyapi.weixin.qq.com, http:// only for loopback test servers. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * Retries of one token call on a retriable failure and their backoff bounds; default
         * {@link ClientSettings.Retries#DEFAULT} (5, 500 ms, 30 s), as the endpoint options.
         */
        public Builder retries(int maxRetries, Duration retryDelay, Duration maxRetryDelay) {
            this.retries = new ClientSettings.Retries(maxRetries, retryDelay, maxRetryDelay);
            return this;
        }

        /**
         * HTTP timeouts of the token calls; default {@link ClientSettings.Timeouts#DEFAULT} (5 s to connect, 30 s for
         * the whole answer), as the endpoint options.
         */
        public Builder timeouts(Duration connectTimeout, Duration responseTimeout) {
            this.timeouts = new ClientSettings.Timeouts(connectTimeout, responseTimeout);
            return this;
        }

        /** The clock tokens' lifetimes are measured on; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public WecomSuite build() {
            return new WecomSuite(this);
        }
    }
}
