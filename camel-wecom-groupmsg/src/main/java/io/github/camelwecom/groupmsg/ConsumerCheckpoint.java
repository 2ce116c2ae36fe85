package io.github.camelwecom.groupmsg;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.client.ExportPosition;

/**
 * What a consumer must remember to resume after a restart, stored as one JSON value in the endpoint's
 * {@code stateRepository}.
 *
 * @param passStart first create_time of the current pass (epoch seconds)
 * @param passEnd   last create_time of the current pass, null before the pass was opened
 * @param position  where the pass continues, null at its start
 * @param finished  a bounded export read its whole range
 * @param emitted   follow mode: the records emitted from the span that is read again ({@link EmittedRecords})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ConsumerCheckpoint(long passStart, Long passEnd, ExportPosition position, boolean finished, String emitted) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write checkpoint", e);
        }
    }

    static ConsumerCheckpoint fromJson(String key, String json) {
        try {
            return MAPPER.readValue(json, ConsumerCheckpoint.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Checkpoint " + key + " in the stateRepository is not readable: "
                                               + e.getOriginalMessage(), e);
        }
    }
}
