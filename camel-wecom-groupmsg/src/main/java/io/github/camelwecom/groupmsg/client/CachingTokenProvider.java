package io.github.camelwecom.groupmsg.client;

import java.time.Clock;

import org.slf4j.Logger;

/**
 * A token provider whose token comes from one WeCom token API and is kept in a {@link TokenCache}: the providers of
 * this package say only how to ask for it.
 */
abstract class CachingTokenProvider implements AccessTokenProvider {

    private final TokenCache token;

    /**
     * @param api the token API {@link #fetch()} calls
     * @param holder whose token it is, for log lines ("corp ww…"); never a secret
     */
    CachingTokenProvider(TokenApi api, String holder, RetryPolicy retryPolicy, Clock clock, Logger log) {
        this.token = new TokenCache(api, holder, this::fetch, retryPolicy, clock, log);
    }

    /** One call of the token API (the cache retries it and keeps callers from asking at once). */
    abstract TokenCache.Issued fetch();

    @Override
    public final String getAccessToken() {
        return token.get();
    }

    @Override
    public final void invalidate(String token) {
        this.token.invalidate(token);
    }

    /** How many calls of the token API answered with a new token. */
    final long tokenFetches() {
        return token.fetches();
    }
}
