package io.github.camelwecom.groupmsg.simulator;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Issues and checks tokens like WeCom: one valid token per owner (a corp, a corp of a third-party app, a suite) at a
 * time, handed out again with its remaining lifetime until it expires. Expired tokens are remembered so they answer
 * 42001 (42009 for suite tokens) rather than 40014 (40082).
 */
final class TokenRegistry {
    private static final int PURGE_THRESHOLD = 10_000;
    private static final long PURGE_AGE_NANOS = Duration.ofHours(1).toNanos();

    /** The outcome of gettoken. {@code fresh} is false when a still-valid token was handed out again. */
    record Issued(String token, long expiresInSeconds, boolean fresh) {
    }

    /** How a registry's tokens are refused: missing, unknown, expired. */
    record Refusals(int missing, String missingMsg, int invalid, String invalidMsg, int expired, String expiredMsg) {
        static final Refusals ACCESS_TOKEN = new Refusals(41001, "access_token missing", 40014,
                "invalid access_token", 42001, "access_token expired");
        /** WeCom's tables at hand give no errcode for a missing suite_access_token: answered like an unknown one. */
        static final Refusals SUITE_ACCESS_TOKEN = new Refusals(40082, "invalid suite_access_token", 40082,
                "invalid suite_access_token", 42009, "suite_access_token expired");
    }

    private static final class Token {
        final String owner;
        volatile long expiresAtNanos;

        Token(String owner, long expiresAtNanos) {
            this.owner = owner;
            this.expiresAtNanos = expiresAtNanos;
        }
    }

    private final Map<String, String> secrets;
    private final Refusals refusals;
    private final Map<String, String> currentByOwner = new HashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    /** Every token ever handed out, never purged: tests search logs for them. */
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private final LongSupplier nanoClock;
    private volatile Duration ttl;

    /** Access tokens; gettoken accepts {@code secrets} (corpid to corpsecret). */
    TokenRegistry(Map<String, String> secrets, Duration ttl, LongSupplier nanoClock) {
        this(secrets, Refusals.ACCESS_TOKEN, ttl, nanoClock);
    }

    TokenRegistry(Map<String, String> secrets, Refusals refusals, Duration ttl, LongSupplier nanoClock) {
        this.secrets = Map.copyOf(secrets);
        this.refusals = refusals;
        this.ttl = ttl;
        this.nanoClock = nanoClock;
    }

    Duration ttl() {
        return ttl;
    }

    /** Applies to tokens issued from now on, as a changed WeCom setting would. */
    void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    synchronized Issued issue(String corpId, String secret) {
        if (corpId == null || corpId.isEmpty()) {
            throw new WecomException(41002, "corpid missing");
        }
        String expected = secrets.get(corpId);
        if (expected == null) {
            throw new WecomException(40013, "invalid corpid");
        }
        if (secret == null || secret.isEmpty()) {
            throw new WecomException(41004, "corpsecret missing");
        }
        if (!expected.equals(secret)) {
            throw new WecomException(40001, "invalid credential");
        }
        return issueTo(corpId);
    }

    /** The owner's valid token again, or a new one: what gettoken does once the credentials are checked. */
    synchronized Issued issueTo(String owner) {
        long now = nanoClock.getAsLong();
        String current = currentByOwner.get(owner);
        Token t = current == null ? null : tokens.get(current);
        if (t != null && now - t.expiresAtNanos < 0) {
            return new Issued(current, remainingSeconds(t, now), false);
        }
        purgeIfLarge(now);
        String value = newTokenValue();
        t = new Token(owner, now + ttl.toNanos());
        tokens.put(value, t);
        issued.add(value);
        currentByOwner.put(owner, value);
        return new Issued(value, remainingSeconds(t, now), true);
    }

    /** A snapshot of every token issued so far, expired ones included. */
    Set<String> issued() {
        return Set.copyOf(issued);
    }

    /** The owner of a valid token; otherwise WeCom's error for a missing, unknown or expired token. */
    String validate(String token) {
        if (token == null || token.isEmpty()) {
            throw new WecomException(refusals.missing(), refusals.missingMsg());
        }
        Token t = tokens.get(token);
        if (t == null) {
            throw new WecomException(refusals.invalid(), refusals.invalidMsg());
        }
        if (nanoClock.getAsLong() - t.expiresAtNanos >= 0) {
            throw new WecomException(refusals.expired(), refusals.expiredMsg());
        }
        return t.owner;
    }

    /** The owner of a token this registry knows, expired or not; null for any other. */
    String ownerOf(String token) {
        Token t = token == null ? null : tokens.get(token);
        return t == null ? null : t.owner;
    }

    /** Forgets every token of {@code owner} (all owners when null): they answer as unknown from now on. */
    synchronized void revoke(String owner) {
        tokens.values().removeIf(t -> owner == null || t.owner.equals(owner));
        if (owner == null) {
            currentByOwner.clear();
        } else {
            currentByOwner.remove(owner);
        }
    }

    /** Ends one token now; unknown tokens are ignored. */
    void expire(String token) {
        Token t = token == null ? null : tokens.get(token);
        if (t != null) {
            t.expiresAtNanos = nanoClock.getAsLong();
        }
    }

    void expireAll() {
        long now = nanoClock.getAsLong();
        for (Token t : tokens.values()) {
            if (t.expiresAtNanos - now > 0) {
                t.expiresAtNanos = now;
            }
        }
    }

    static Duration requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }

    private static long remainingSeconds(Token t, long now) {
        long nanos = t.expiresAtNanos - now;
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** Long fault-injection runs issue many tokens; forget ones expired long ago. */
    private void purgeIfLarge(long now) {
        if (tokens.size() < PURGE_THRESHOLD) {
            return;
        }
        for (Iterator<Token> it = tokens.values().iterator(); it.hasNext();) {
            if (now - it.next().expiresAtNanos > PURGE_AGE_NANOS) {
                it.remove();
            }
        }
    }

    private String newTokenValue() {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
