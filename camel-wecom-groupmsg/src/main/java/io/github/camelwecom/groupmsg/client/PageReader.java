package io.github.camelwecom.groupmsg.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads the records and next_cursor of a page answer of one API; {@link WecomAnswer} checks the rest. Records bind
 * straight into their class while the answer is parsed. A record that does not fit its class is bound field by field
 * from its own bytes ({@link LenientBinding}), so one odd record never costs its page. errcode 0 without records and
 * without a next cursor is an empty last page.
 */
final class PageReader<T> {

    private final GroupMsgApi api;
    private final Class<T> type;
    private final ObjectMapper mapper;
    private final ObjectReader reader;

    PageReader(ObjectMapper mapper, GroupMsgApi api, Class<T> type) {
        this.api = api;
        this.type = type;
        this.mapper = mapper;
        this.reader = mapper.readerFor(type);
    }

    Page<T> read(HttpTransport.Response response) {
        return WecomAnswer.read(mapper, api.path(), response, new PageFields(response.body()));
    }

    /** One answer's records and next_cursor. */
    private final class PageFields implements WecomAnswer.Fields<Page<T>> {
        private final byte[] body;
        private List<T> records;
        private boolean recordsPresent;
        private String nextCursor = "";
        private String problem;

        PageFields(byte[] body) {
            this.body = body;
        }

        @Override
        public void read(String name, JsonParser parser) throws IOException {
            JsonToken value = parser.currentToken();
            if (name.equals(api.recordsField())) {
                // null is taken as left out: either way WeCom sent no records
                recordsPresent = value != JsonToken.VALUE_NULL;
                if (value == JsonToken.START_ARRAY) {
                    records = readRecords(parser, body);
                }
            } else if (name.equals("next_cursor")) {
                if (value == JsonToken.VALUE_STRING) {
                    nextCursor = parser.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    problem = "next_cursor is not a string";
                }
            }
        }

        @Override
        public Page<T> result(boolean errcodePresent) {
            if (problem != null) {
                throw garbled(problem);
            }
            if (records != null) {
                return new Page<>(records, nextCursor);
            }
            if (recordsPresent) {
                throw garbled(api.recordsField() + " is not an array");
            }
            if (!nextCursor.isEmpty()) {
                // a next page without this one's records: taking it as empty could skip records
                throw garbled(api.recordsField() + " is missing but next_cursor is not empty");
            }
            if (!errcodePresent) {
                // {} is no WeCom answer (a proxy's?): ending the sequence on it could lose records
                throw garbled(api.recordsField() + " and errcode are missing");
            }
            return new Page<>(List.of(), "");
        }
    }

    private List<T> readRecords(JsonParser parser, byte[] body) throws IOException {
        List<T> records = new ArrayList<>();
        JsonStreamContext array = parser.getParsingContext();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw garbled("record " + records.size() + " of " + api.recordsField() + " is not a JSON object but "
                        + describe(token));
            }
            long start = parser.currentTokenLocation().getByteOffset();
            try {
                records.add(reader.readValue(parser));
            } catch (DatabindException e) {
                records.add(readOddRecord(parser, array, body, start, records.size()));
            }
        }
        return records;
    }

    /**
     * The record that plain binding refused, from its own bytes: the parser is first moved to the record's end,
     * wherever inside it binding stopped, so that the page reads on from the next record.
     */
    private T readOddRecord(JsonParser parser, JsonStreamContext array, byte[] body, long start, int index)
            throws IOException {
        while (parser.getParsingContext() != array) {
            if (parser.nextToken() == null) {
                throw garbled("answer ends inside record " + index);
            }
        }
        long end = parser.currentTokenLocation().getByteOffset() + 1;
        if (start < 0 || end <= start || end > body.length) {
            throw garbled("record " + index + " of " + api.recordsField() + " does not fit " + type.getSimpleName());
        }
        return LenientBinding.bind(mapper.readTree(body, (int) start, (int) (end - start)), type);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(token);
        };
    }

    private WecomApiException garbled(String what) {
        return WecomAnswer.garbled(api.path(), what);
    }
}
