package io.github.camelwecom.groupmsg.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the access_token with corpId and corpSecret (gettoken), caches it, and refreshes it shortly before it expires.
 * However many threads ask at once, one request is in flight. A refusal that asking again cannot change (wrong
 * corpId or secret, IP not trusted, app not allowed) is reported, not retried, and gettoken is not asked again for a
 * while: WeCom blocks an IP that keeps asking with a wrong secret (see {@link TokenCache}).
 */
public final class CorpSecretTokenProvider extends CachingTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(CorpSecretTokenProvider.class);

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String corpId;
    private final String corpSecret;
    private final Duration connectTimeout;
    private final Duration responseTimeout;

    public CorpSecretTokenProvider(HttpTransport transport, ObjectMapper mapper, String baseUrl, String corpId,
                                   String corpSecret, RetryPolicy retryPolicy, Duration connectTimeout,
                                   Duration responseTimeout, Clock clock) {
        super(TokenApi.GETTOKEN, "corp " + corpId, retryPolicy, clock, LOG);
        this.transport = transport;
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.corpId = corpId;
        this.corpSecret = corpSecret;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
    }

    @Override
    public String toString() {
        return "CorpSecretTokenProvider[corp " + corpId + ", " + baseUrl + "]";
    }

    @Override
    TokenCache.Issued fetch() {
        String url = baseUrl + TokenApi.GETTOKEN.path() + "?corpid=" + encode(corpId) + "&corpsecret="
                     + encode(corpSecret);
        try {
            return TokenCache.ask(mapper, TokenApi.GETTOKEN, () -> transport.get(url, connectTimeout,
                    responseTimeout));
        } catch (WecomApiException e) {
            if (e.isCredentialsRefused()) {
                throw e.adding(" (check corpId " + corpId + " and corpSecret)");
            }
            throw e;
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
