package io.github.camelwecom.groupmsg.simulator;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A served request's parts, and its normal answer, computed at most once. */
final class ApiRequest {
    final Api target;
    final String method;
    final Map<String, String> query;
    /** The parsed body of a POST request; null for gettoken or a body that is not a JSON object. */
    final ObjectNode json;
    private final ApiAnswers answers;
    private ObjectNode normal;

    ApiRequest(ApiAnswers answers, Api target, String method, Map<String, String> query, ObjectNode json) {
        this.answers = answers;
        this.target = target;
        this.method = method;
        this.query = query;
        this.json = json;
    }

    /**
     * The answer without faults. Computed on first use and kept, so a fault that must look at it first (one that only
     * bends answers with records) and the answer sent agree.
     */
    ObjectNode normal() {
        if (normal == null) {
            normal = answers.answer(this, false);
        }
        return normal;
    }

    /** The answer in the shape of the REPEATED_RECORDS fault; computed anew. */
    ObjectNode repeated() {
        return answers.answer(this, true);
    }

    /** The non-empty cursor of a mass-message request, or null. */
    String cursor() {
        return json == null || !target.isGroupMsg() ? null : Params.text(json, "cursor");
    }
}
