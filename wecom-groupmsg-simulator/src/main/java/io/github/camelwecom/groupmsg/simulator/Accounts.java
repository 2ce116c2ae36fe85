package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who a simulator accepts, as its builder collects them: corps with their corpsecret (gettoken), third-party suites
 * with their secret and ticket, and the corps that authorized a suite with their permanent code.
 */
final class Accounts {
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private final Map<String, String[]> suites = new LinkedHashMap<>();
    private final List<String[]> authorizedCorps = new ArrayList<>();

    void corp(String corpId, String corpSecret) {
        Objects.requireNonNull(corpId, "corpId");
        Objects.requireNonNull(corpSecret, "corpSecret");
        if (corpId.isEmpty() || corpSecret.isEmpty()) {
            throw new IllegalArgumentException("corpId and corpSecret must not be empty");
        }
        credentials.put(corpId, corpSecret);
    }

    void suite(String suiteId, String suiteSecret, String suiteTicket) {
        suites.put(Objects.requireNonNull(suiteId, "suiteId"), new String[] {
                Objects.requireNonNull(suiteSecret, "suiteSecret"),
                Objects.requireNonNull(suiteTicket, "suiteTicket") });
    }

    void authorizedCorp(String suiteId, String corpId, String permanentCode) {
        if (!suites.containsKey(suiteId)) {
            throw new IllegalArgumentException("unknown suite " + suiteId + ": call suite(...) first");
        }
        authorizedCorps.add(new String[] { suiteId, Objects.requireNonNull(corpId, "corpId"),
                Objects.requireNonNull(permanentCode, "permanentCode") });
    }

    /** corpid to corpsecret in the order given, a copy; the DEFAULT_ pair when none was given. */
    Map<String, String> credentials() {
        return credentials.isEmpty() ? Map.of(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET)
                : Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
    }

    /** The suites and their authorizations; the corps' access_tokens go to {@code tokens}. */
    Suites suites(TokenRegistry tokens, Duration ttl) {
        Suites s = new Suites(tokens, ttl, System::nanoTime);
        suites.forEach((suiteId, secretAndTicket) -> s.add(suiteId, secretAndTicket[0], secretAndTicket[1]));
        authorizedCorps.forEach(corp -> s.authorize(corp[0], corp[1], corp[2]));
        return s;
    }
}
