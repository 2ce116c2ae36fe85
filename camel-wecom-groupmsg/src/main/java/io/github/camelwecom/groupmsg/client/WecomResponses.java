package io.github.camelwecom.groupmsg.client;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns an HTTP answer into WeCom JSON or a classified {@link WecomApiException}, in one place for gettoken and the
 * three APIs.
 */
final class WecomResponses {

    private WecomResponses() {
    }

    /** The JSON of a 200 answer with errcode 0; anything else as an exception marked retriable or not. */
    static JsonNode parse(ObjectMapper mapper, String api, HttpTransport.Response response) {
        int status = response.status();
        if (status != 200) {
            throw httpFailure(api, status);
        }
        JsonNode json;
        try {
            json = response.body().length == 0 ? null : mapper.readTree(response.body());
        } catch (IOException e) {
            throw new WecomApiException(api, WecomApiException.NO_ERRCODE,
                    "answer is not JSON (" + response.body().length + " bytes)", true, null);
        }
        if (json == null || !json.isObject()) {
            throw new WecomApiException(api, WecomApiException.NO_ERRCODE, "answer is not a JSON object", true, null);
        }
        JsonNode errcode = json.get("errcode");
        if (errcode != null && !errcode.canConvertToInt()) {
            throw new WecomApiException(api, WecomApiException.NO_ERRCODE, "answer has a non-numeric errcode", true,
                    null);
        }
        int code = errcode == null ? 0 : errcode.asInt();
        if (code != 0) {
            String errmsg = json.path("errmsg").asText("");
            throw new WecomApiException(api, code, errmsg, RetryPolicy.isRetriableErrcode(code), null);
        }
        return json;
    }

    static WecomApiException httpFailure(String api, int status) {
        return new WecomApiException(api, WecomApiException.NO_ERRCODE, "HTTP status " + status,
                RetryPolicy.isRetriableHttpStatus(status), null);
    }

    /** A connection or read failure; the exception text is kept but never holds the URL's query. */
    static WecomApiException transportFailure(String api, IOException e) {
        if (e instanceof HttpTransport.ResponseTooLargeException) {
            return new WecomApiException(api, WecomApiException.NO_ERRCODE, e.getMessage(), false, null);
        }
        String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new WecomApiException(api, WecomApiException.NO_ERRCODE, "I/O failure: " + stripQuery(what), true,
                null);
    }

    private static String stripQuery(String text) {
        return text.replaceAll("\\?[^\\s\\]]*", "?…");
    }
}
