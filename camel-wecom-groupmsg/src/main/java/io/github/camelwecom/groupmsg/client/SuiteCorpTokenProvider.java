package io.github.camelwecom.groupmsg.client;

import java.time.Clock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access_token of one corp that authorized a third-party app: get_corp_token with the suite's suite_access_token
 * and the corp's permanent code, cached and refreshed shortly before it expires, one request however many threads ask.
 * When WeCom refuses the suite token (40082 invalid, 42009 expired) it is dropped, a new one is fetched and
 * get_corp_token asked once more. Made by {@link WecomSuite#forCorp}.
 */
final class SuiteCorpTokenProvider extends CachingTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(SuiteCorpTokenProvider.class);

    private final WecomSuite suite;
    private final String corpId;
    private final String permanentCode;

    SuiteCorpTokenProvider(WecomSuite suite, String corpId, String permanentCode, RetryPolicy retryPolicy,
            Clock clock) {
        super(TokenApi.GET_CORP_TOKEN, describe(corpId, suite), retryPolicy, clock, LOG);
        this.suite = suite;
        this.corpId = corpId;
        this.permanentCode = permanentCode;
    }

    @Override
    public String corpId() {
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
            if (!e.isSuiteTokenRefused()) {
                throw e;
            }
            suite.invalidateSuiteToken(suiteToken);
            return corpToken(suite.suiteToken());
        }
    }

    private TokenCache.Issued corpToken(String suiteToken) {
        ObjectNode body = suite.mapper().createObjectNode().put("auth_corpid", corpId)
                .put("permanent_code", permanentCode);
        try {
            return TokenCache.ask(suite.mapper(), TokenApi.GET_CORP_TOKEN, () -> suite.post(
                    TokenApi.GET_CORP_TOKEN.path(), "?suite_access_token=" + CorpSecretTokenProvider.encode(suiteToken),
                    body));
        } catch (WecomApiException e) {
            if (e.getKind() != WecomApiException.Kind.ERRCODE) {
                throw e;
            }
            throw e.adding(" (" + describe(corpId, suite) + ")");
        }
    }
}
