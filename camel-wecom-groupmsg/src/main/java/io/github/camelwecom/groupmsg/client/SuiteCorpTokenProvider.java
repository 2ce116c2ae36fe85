package io.github.camelwecom.groupmsg.client;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access_token of one corp that authorized a third-party app: get_corp_token with the suite's
 * suite_access_token and the corp's permanent code, cached and refreshed shortly before it expires, one request
 * however many threads ask. When WeCom refuses the suite token (40082 invalid, 42009 expired) it is dropped, a new
 * one is fetched and get_corp_token asked once more. Made by {@link WecomSuite#forCorp}.
 */
final class SuiteCorpTokenProvider extends CachingTokenProvider {

    static final String GET_CORP_TOKEN = "get_corp_token";
    private static final Logger LOG = LoggerFactory.getLogger(SuiteCorpTokenProvider.class);
    /** invalid suite_access_token, suite_access_token expired: a fresh suite token may fix these. */
    private static final Set<Integer> SUITE_TOKEN_REFUSED = Set.of(40082, 42009);

    private final WecomSuite suite;
    private final String corpId;
    private final String permanentCode;

    SuiteCorpTokenProvider(WecomSuite suite, String corpId, String permanentCode, RetryPolicy retryPolicy,
                           Clock clock) {
        super(GET_CORP_TOKEN, describe(corpId, suite), retryPolicy, clock, LOG);
        this.suite = suite;
        this.corpId = corpId;
        this.permanentCode = permanentCode;
    }

    public String getCorpId() {
        return corpId;
    }

    /** Names the corp and suite, never the permanent code or a token. */
    @Override
    public String toString() {
        return "SuiteCorpTokenProvider[" + describe(corpId, suite) + "]";
    }

    boolean hasPermanentCode(String code) {
        return permanentCode.equals(code);
    }

    private static String describe(String corpId, WecomSuite suite) {
        return "corp " + corpId + " of suite " + suite.getSuiteId();
    }

    @Override
    TokenCache.Issued fetch() {
        String suiteToken = suite.suiteToken();
        try {
            return corpToken(suiteToken);
        } catch (WecomApiException e) {
            if (!SUITE_TOKEN_REFUSED.contains(e.getErrcode())) {
                throw e;
            }
            suite.invalidateSuiteToken(suiteToken);
            return corpToken(suite.suiteToken());
        }
    }

    private TokenCache.Issued corpToken(String suiteToken) {
        Map<String, String> body = Map.of("auth_corpid", corpId, "permanent_code", permanentCode);
        try {
            return TokenCache.ask(suite.mapper(), GET_CORP_TOKEN, "access_token", () -> suite.post(
                    "/cgi-bin/service/get_corp_token", "?suite_access_token="
                                                       + CorpSecretTokenProvider.encode(suiteToken), body));
        } catch (WecomApiException e) {
            if (e.getErrcode() == WecomApiException.NO_ERRCODE) {
                throw e;
            }
            throw new WecomApiException(GET_CORP_TOKEN, e.getErrcode(), e.getErrmsg() + " (" + describe(corpId, suite) + ")",
                    e.isRetriable(), null);
        }
    }
}
