package io.github.camelwecom.groupmsg.client.model;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Keeps fields WeCom adds after this version was written, so that a record read and written again loses nothing.
 */
public abstract class UnknownFields {

    private final Map<String, JsonNode> unknownFields = new LinkedHashMap<>();

    @JsonAnyGetter
    public Map<String, JsonNode> getUnknownFields() {
        return unknownFields;
    }

    @JsonAnySetter
    public void setUnknownField(String name, JsonNode value) {
        unknownFields.put(name, value);
    }

    @JsonIgnore
    public JsonNode getUnknownField(String name) {
        return unknownFields.get(name);
    }
}
