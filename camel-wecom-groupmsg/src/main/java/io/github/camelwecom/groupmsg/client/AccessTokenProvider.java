package io.github.camelwecom.groupmsg.client;

/**
 * Supplies the access_token for WeCom calls. The default implementation gets it with corpId and corpSecret; a bean of
 * this type replaces that for third-party and 代开发 apps or a company-wide token service.
 */
public interface AccessTokenProvider {

    /** A token valid for at least the next call; implementations cache it. */
    String getAccessToken();

    /**
     * WeCom rejected {@code token} (invalid or expired): the next {@link #getAccessToken()} must not return it again.
     */
    default void invalidate(String token) {
    }

    /**
     * The corp whose tokens these are, for the call budget; null when unknown (the provider then counts as one corp).
     */
    default String corpId() {
        return null;
    }
}
