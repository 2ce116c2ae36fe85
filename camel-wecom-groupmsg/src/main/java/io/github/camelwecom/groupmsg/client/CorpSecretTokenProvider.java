package io.github.camelwecom.groupmsg.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the access_token with corpId and corpSecret (gettoken), caches it, and refreshes it shortly before it expires.
 * However many threads ask at once, one request is in flight. A refusal that asking again cannot change (wrong corpId
 * or secret, IP not trusted, app not allowed) is reported, not retried, and gettoken is not asked again for a while:
 * WeCom blocks an IP that keeps asking with a wrong secret (see {@link TokenCache}).
 */
final class CorpSecretTokenProvider extends CachingTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(CorpSecretTokenProvider.class);

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String corpId;
    private final String corpSecret;
    private final ClientSettings.Timeouts timeouts;

    /** The provider of {@code settings}' corpId and corpSecret, calling gettoken at their base URL. */
    CorpSecretTokenProvider(HttpTransport transport, ObjectMapper mapper, ClientSettings settings, Clock clock) {
        super(TokenApi.GETTOKEN, "corp " + settings.credentials().corpId(),
                new RetryPolicy(settings.baseUrl(), settings.retries()), clock, LOG);
        this.transport = transport;
        this.mapper = mapper;
        this.baseUrl = settings.baseUrl();
        this.corpId = settings.credentials().corpId();
        this.corpSecret = settings.credentials().corpSecret();
        this.timeouts = settings.timeouts();
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
            return TokenCache.ask(mapper, TokenApi.GETTOKEN, () -> transport.get(url, timeouts));
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
