package io.github.camelwecom.groupmsg.client.model;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Keeps fields WeCom adds after this version was written, and, as raw JSON, a known field whose value did not fit its
 * type (the typed property is then null), so that a record read and written again loses nothing.
 */
public abstract class UnknownFields {

    /** Made at the first unknown field: almost every record has none, and one map per record adds up. */
    private Map<String, JsonNode> unknownFields;

    /** The fields this version does not know, in their order; empty (and read-only) when there are none. */
    @JsonAnyGetter
    public Map<String, JsonNode> getUnknownFields() {
        return unknownFields != null ? unknownFields : Map.of();
    }

    @JsonAnySetter
    public void setUnknownField(String name, JsonNode value) {
        if (unknownFields == null) {
            unknownFields = new LinkedHashMap<>();
        }
        unknownFields.put(name, value);
    }

    @JsonIgnore
    public JsonNode getUnknownField(String name) {
        return unknownFields != null ? unknownFields.get(name) : null;
    }
}
