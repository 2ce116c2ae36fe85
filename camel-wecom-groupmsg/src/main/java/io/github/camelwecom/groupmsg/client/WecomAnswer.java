package io.github.camelwecom.groupmsg.client;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.client.WecomApiException.Kind;

/**
 * Reads a WeCom answer while parsing it, so that page records bind straight into their classes. The envelope every API
 * shares is checked here: HTTP 200, a JSON object, a numeric errcode; an errcode other than 0 fails as WeCom's error.
 * The API's own fields go to its {@link Fields}. A garbled answer is a retriable failure: taking it as WeCom's word
 * could lose records or a token.
 */
final class WecomAnswer {

    private WecomAnswer() {
    }

    /** The fields of one answer besides errcode and errmsg, as they are read. */
    interface Fields<R> {
        /** Reads the value of {@code name} the parser is at; what it leaves unread is skipped. */
        void read(String name, JsonParser parser) throws IOException;

        /** What the answer says, once its errcode is 0 or absent. */
        R result(boolean errcodePresent);
    }

    static <R> R read(ObjectMapper mapper, String api, HttpTransport.Response response, Fields<R> fields) {
        if (response.status() != 200) {
            throw new WecomApiException(api, Kind.HTTP_STATUS, "HTTP status " + response.status(),
                    RetryPolicy.isRetriableHttpStatus(response.status()));
        }
        byte[] body = response.body();
        try (JsonParser parser = mapper.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw garbled(api, "answer is not a JSON object");
            }
            Envelope envelope = readFields(parser, fields);
            if (!envelope.errcodeNumeric) {
                throw garbled(api, "answer has a non-numeric errcode");
            }
            if (envelope.errcode != 0) {
                throw WecomApiException.ofErrcode(api, envelope.errcode, envelope.errmsg);
            }
            return fields.result(envelope.errcodePresent);
        } catch (StreamReadException e) {
            throw garbled(api, "answer is not JSON (" + body.length + " bytes)");
        } catch (IOException e) {
            throw garbled(api, "answer does not fit (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** errcode and errmsg as the answer gave them. */
    private static final class Envelope {
        int errcode;
        boolean errcodePresent;
        boolean errcodeNumeric = true;
        String errmsg = "";
    }

    /** Reads the answer's fields: errcode and errmsg into the envelope, every other one into {@code fields}. */
    private static Envelope readFields(JsonParser parser, Fields<?> fields) throws IOException {
        Envelope envelope = new Envelope();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("errcode")) {
                envelope.errcodePresent = true;
                envelope.errcodeNumeric = value == JsonToken.VALUE_NUMBER_INT
                        && parser.getNumberType() == JsonParser.NumberType.INT;
                envelope.errcode = envelope.errcodeNumeric ? parser.getIntValue() : 0;
            } else if (name.equals("errmsg")) {
                envelope.errmsg = parser.getValueAsString("");
            } else {
                fields.read(name, parser);
            }
            parser.skipChildren();
        }
        return envelope;
    }

    static WecomApiException garbled(String api, String what) {
        return new WecomApiException(api, Kind.BAD_ANSWER, "garbled answer: " + what, true);
    }

    /**
     * A request that got no answer (or one too large to read), said as {@link HttpTransport.Failed} says it: without
     * the URL's query, which holds the secret or the access_token.
     */
    static WecomApiException transportFailure(String api, HttpTransport.Failed e) {
        return new WecomApiException(api, e.kind(), e.getMessage(), RetryPolicy.isRetriable(e.kind()));
    }
}
