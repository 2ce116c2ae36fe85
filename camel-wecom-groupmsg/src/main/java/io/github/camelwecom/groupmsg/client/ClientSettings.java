package io.github.camelwecom.groupmsg.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one endpoint's client needs: where WeCom is, how to authenticate (corpId/corpSecret or a token provider), and
 * how to retry, throttle and time out. The one home of the rules for a base URL and of the defaults that a suite's
 * token calls ({@link WecomSuite}) and the endpoint options share.
 *
 * @param baseUrl WeCom's API root, without a trailing slash: https, or http to a loopback test server
 * @param maxInFlight requests of this client in flight at once
 */
public record ClientSettings(String baseUrl, Credentials credentials, Retries retries, Timeouts timeouts,
        double maxRequestsPerSecond, int maxInFlight) {

    public static final String DEFAULT_BASE_URL = "https://qyapi.weixin.qq.com";

    /** What a base URL may be, said the way an invalid option is. */
    public static final String ALLOWED_BASE_URL = "an https:// URL such as " + DEFAULT_BASE_URL
            + " (http:// only for localhost test servers)";

    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    public ClientSettings {
        baseUrl = checkedBaseUrl(baseUrl);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(timeouts, "timeouts");
    }

    /** corpId and corpSecret for gettoken, or a provider that supplies the tokens instead. */
    public record Credentials(String corpId, String corpSecret, AccessTokenProvider tokenProvider) {

        public static Credentials ofSecret(String corpId, String corpSecret) {
            return new Credentials(corpId, corpSecret, null);
        }

        public static Credentials ofProvider(AccessTokenProvider tokenProvider) {
            return new Credentials(null, null, Objects.requireNonNull(tokenProvider, "tokenProvider"));
        }

        @Override
        public String toString() {
            return tokenProvider != null ? "Credentials[" + tokenProvider + "]"
                    : "Credentials[corpId=" + corpId + ", corpSecret=xxxxxx]";
        }
    }

    /** How often one call is repeated after a retriable failure, and the backoff's bounds. */
    public record Retries(int maxRetries, Duration retryDelay, Duration maxRetryDelay) {

        public static final Retries DEFAULT = new Retries(5, Duration.ofMillis(500), Duration.ofSeconds(30));

        public Retries {
            Objects.requireNonNull(retryDelay, "retryDelay");
            Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
        }
    }

    /** How long a connection may take, and how long the whole answer. */
    public record Timeouts(Duration connect, Duration response) {

        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));

        public Timeouts {
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * Whether calls may go to {@code baseUrl}: https, or http to a loopback address (a test server). WeCom's secrets
     * and tokens travel in the query string and body, which plain http would show to the network.
     */
    public static boolean isSafeBaseUrl(String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException | NullPointerException e) {
            return false;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        return host != null && ("https".equalsIgnoreCase(scheme)
                || "http".equalsIgnoreCase(scheme) && isLoopback(host));
    }

    /** {@code baseUrl} without a trailing slash; fails, saying what is allowed, when it is not safe. */
    static String checkedBaseUrl(String baseUrl) {
        if (!isSafeBaseUrl(baseUrl)) {
            throw new IllegalArgumentException("Invalid baseUrl " + baseUrl + ": allowed is " + ALLOWED_BASE_URL);
        }
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** A DNS name that starts with "127." is not loopback: it may resolve anywhere. */
    private static boolean isLoopback(String host) {
        return "localhost".equalsIgnoreCase(host) || LOOPBACK_IPV4.matcher(host).matches() || "[::1]".equals(host)
                || "::1".equals(host);
    }

    @Override
    public String toString() {
        return "ClientSettings[baseUrl=" + baseUrl + ", " + credentials + "]";
    }
}
