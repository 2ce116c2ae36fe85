package io.github.camelwecom.groupmsg.simulator;

import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answers without injected faults: tokens from the registries, records from {@link GroupMsgApi}, with the refusals
 * and silent changes the {@link FaultInjector} is set to make. WeCom-level errors are answers too.
 */
final class ApiAnswers {
    private final TokenRegistry tokens;
    private final Suites suites;
    /** The records of a corp, by corpid. */
    private final Function<String, GroupMsgApi> apis;
    private final FaultInjector faults;
    private final SimulatorCounters counters;

    ApiAnswers(TokenRegistry tokens, Suites suites, Function<String, GroupMsgApi> apis, FaultInjector faults,
            SimulatorCounters counters) {
        this.tokens = tokens;
        this.suites = suites;
        this.apis = apis;
        this.faults = faults;
        this.counters = counters;
    }

    /** The answer to {@code r}; with {@code repeated}, in the shape of the REPEATED_RECORDS fault. */
    ObjectNode answer(ApiRequest r, boolean repeated) {
        try {
            if (r.target == Api.GETTOKEN) {
                return tokenAnswer(Json.ok(), "access_token",
                        tokens.issue(r.query.get("corpid"), r.query.get("corpsecret")));
            }
            if (!"POST".equals(r.method)) {
                return Json.error(43002, "require POST method");
            }
            if (r.target == Api.SUITE_TOKEN || r.target == Api.CORP_TOKEN) {
                return serviceTokenAnswer(r);
            }
            return groupMsgAnswer(r, repeated);
        } catch (WecomException e) {
            return Json.error(e.errcode(), e.errmsg());
        }
    }

    /** get_suite_token and get_corp_token. */
    private ObjectNode serviceTokenAnswer(ApiRequest r) {
        if (r.json == null) {
            return Json.error(47001, "data format error");
        }
        // WeCom's document: these two answer errcode only on failure; its absence means success
        ObjectNode answer = Json.NODES.objectNode();
        if (r.target == Api.SUITE_TOKEN) {
            TokenRegistry.Issued issued = suites.suiteToken(r.json);
            if (issued.fresh()) {
                counters.suiteTokenIssued();
            }
            return tokenAnswer(answer, "suite_access_token", issued);
        }
        return tokenAnswer(answer, "access_token", suites.corpToken(r.query.get("suite_access_token"), r.json));
    }

    /** The three mass-message APIs, for a valid access_token. */
    private ObjectNode groupMsgAnswer(ApiRequest r, boolean repeated) {
        GroupMsgApi api = apis.apply(Suites.corpOf(tokens.validate(r.query.get("access_token"))));
        if (r.json == null) {
            return Json.error(47001, "data format error");
        }
        ObjectNode refused = faults.refusal(r.target, r.json);
        if (refused != null) {
            return refused;
        }
        return faults.withSilentChanges(r.target, r.json, api.answer(r.target, r.json, repeated));
    }

    /** {@code answer} with the token in {@code field} and its lifetime; a new access_token is counted. */
    private ObjectNode tokenAnswer(ObjectNode answer, String field, TokenRegistry.Issued issued) {
        if (issued.fresh() && field.equals("access_token")) {
            counters.tokenIssued();
        }
        answer.put(field, issued.token());
        answer.put("expires_in", issued.expiresInSeconds());
        return answer;
    }
}
