package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Third-party apps (suites) as WeCom's service APIs see them: each suite's secret and latest suite_ticket, the corps
 * that authorized it with their permanent codes, and the suite_access_tokens. A corp's access_token from get_corp_token
 * lives in the shared {@link TokenRegistry}, so the mass-message APIs take it like one from gettoken. Thread-safe.
 */
final class Suites {

    private static final class Suite {
        final String secret;
        volatile String ticket;
        /** corpid to permanent code of the corps whose authorization stands. */
        final Map<String, String> permanentCodes = new ConcurrentHashMap<>();

        Suite(String secret, String ticket) {
            this.secret = secret;
            this.ticket = ticket;
        }
    }

    private final Map<String, Suite> suites = new ConcurrentHashMap<>();
    private final TokenRegistry suiteTokens;
    private final TokenRegistry corpTokens;

    Suites(TokenRegistry corpTokens, Duration ttl, LongSupplier nanoClock) {
        this.corpTokens = corpTokens;
        this.suiteTokens = new TokenRegistry(Map.of(), TokenRegistry.Refusals.SUITE_ACCESS_TOKEN, ttl, nanoClock);
    }

    void add(String suiteId, String secret, String ticket) {
        suites.put(requireText(suiteId, "suiteId"),
                new Suite(requireText(secret, "suiteSecret"), requireText(ticket, "suiteTicket")));
    }

    /** Only {@code ticket} is taken from now on, as if WeCom had pushed it to the app's callback URL. */
    void setTicket(String suiteId, String ticket) {
        suite(suiteId).ticket = requireText(ticket, "suiteTicket");
    }

    /** The corp has authorized the suite with this permanent code (replacing an earlier one). */
    void authorize(String suiteId, String corpId, String permanentCode) {
        suite(suiteId).permanentCodes.put(requireText(corpId, "corpId"), requireText(permanentCode, "permanentCode"));
    }

    /**
     * The corp has cancelled the suite's authorization: its permanent code answers 40084, and its access_tokens are
     * forgotten (40014), as WeCom cannot serve a corp that removed the app.
     */
    void cancel(String suiteId, String corpId) {
        if (suite(suiteId).permanentCodes.remove(corpId) == null) {
            throw new IllegalArgumentException("corp " + corpId + " has not authorized suite " + suiteId);
        }
        corpTokens.revoke(owner(suiteId, corpId));
    }

    TokenRegistry.Issued suiteToken(ObjectNode body) {
        String suiteId = Params.text(body, "suite_id");
        Suite suite = suiteId == null ? null : suites.get(suiteId);
        if (suite == null) {
            throw new WecomException(40083, "invalid suite_id");
        }
        if (!suite.secret.equals(Params.text(body, "suite_secret"))) {
            throw new WecomException(40001, "invalid credential");
        }
        if (!suite.ticket.equals(Params.text(body, "suite_ticket"))) {
            throw new WecomException(40085, "invalid suite_ticket");
        }
        return suiteTokens.issueTo(suiteId);
    }

    TokenRegistry.Issued corpToken(String suiteAccessToken, ObjectNode body) {
        String suiteId = suiteTokens.validate(suiteAccessToken);
        String corpId = Params.text(body, "auth_corpid");
        String code = corpId == null ? null : suite(suiteId).permanentCodes.get(corpId);
        if (code == null || !code.equals(Params.text(body, "permanent_code"))) {
            throw new WecomException(40084, "invalid permanent_code");
        }
        return corpTokens.issueTo(owner(suiteId, corpId));
    }

    void expireSuiteTokens() {
        suiteTokens.expireAll();
    }

    void invalidateSuiteTokens() {
        suiteTokens.revoke(null);
    }

    void setTtl(Duration ttl) {
        suiteTokens.setTtl(ttl);
    }

    /** Every suite_access_token and every access_token of the shared registry (gettoken's too) issued so far. */
    Set<String> allIssued() {
        Set<String> issued = new HashSet<>(suiteTokens.issued());
        issued.addAll(corpTokens.issued());
        return Set.copyOf(issued);
    }

    private Suite suite(String suiteId) {
        Suite suite = suites.get(suiteId);
        if (suite == null) {
            throw new IllegalArgumentException("unknown suite " + suiteId);
        }
        return suite;
    }

    /** The owner of a corp's tokens of this suite: not the corp alone, whose own apps have other tokens. */
    private static String owner(String suiteId, String corpId) {
        return "suite " + suiteId + " corp " + corpId;
    }

    /** The corp of an access_token's owner: the owner itself, or the corp of a suite's owner name. */
    static String corpOf(String owner) {
        if (owner == null || !owner.startsWith("suite ")) {
            return owner;
        }
        int at = owner.indexOf(" corp ");
        return at < 0 ? owner : owner.substring(at + " corp ".length());
    }

    private static String requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }
}
