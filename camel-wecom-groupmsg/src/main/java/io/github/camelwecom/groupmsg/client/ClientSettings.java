package io.github.camelwecom.groupmsg.client;

import java.time.Duration;

/**
 * What one endpoint's client needs: where WeCom is, how to authenticate (corpId/corpSecret or a token provider), and
 * how to retry, throttle and time out.
 */
public record ClientSettings(String baseUrl, String corpId, String corpSecret, AccessTokenProvider tokenProvider,
                             int maxRetries, Duration retryDelay, Duration maxRetryDelay, Duration connectTimeout,
                             Duration responseTimeout, double maxRequestsPerSecond, int maxInFlight) {

    @Override
    public String toString() {
        return "ClientSettings[baseUrl=" + baseUrl + ", corpId=" + corpId + ", corpSecret=xxxxxx]";
    }
}
