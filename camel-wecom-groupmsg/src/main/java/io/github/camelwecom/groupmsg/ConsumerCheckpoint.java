package io.github.camelwecom.groupmsg;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.export.FollowingExport;

/**
 * What a consumer must remember to resume after a restart, stored as one JSON value in the endpoint's
 * {@code stateRepository} (the engine's tracked parts are stored beside it, {@link CheckpointParts}): the range as
 * resolved when the selection first started (a relative {@code startTime} or a passed {@code endTime} means the same
 * after a restart as before it) and the engine's state, written by Jackson as they are.
 *
 * @param version the format; only {@link #VERSION} is read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ConsumerCheckpoint(int version, FollowingExport.Range range, FollowingExport.State state) {

    /** The format this version writes and reads; bump it when Range or State change shape. */
    static final int VERSION = 6;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    ConsumerCheckpoint(FollowingExport.Range range, FollowingExport.State state) {
        this(VERSION, range, state);
    }

    /** The same with the tracked parts stored beside it ({@link CheckpointParts}), to restore the export. */
    ConsumerCheckpoint withTracked(Map<String, String> tracked) {
        FollowingExport.State s = state;
        return new ConsumerCheckpoint(version, range, new FollowingExport.State(s.passStart(), s.passEnd(),
                s.position(), s.finished(), s.lastPassEnd(), s.memberInProgress(), tracked, s.pass(), s.unreadable()));
    }

    String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write checkpoint", e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the key when the value is not a checkpoint (e.g. one written by hand)
     * @throws IllegalStateException when it is a checkpoint of another format, saying what to do
     */
    static ConsumerCheckpoint fromJson(String key, String json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            int version = tree.path("version").asInt(0);
            if (version != VERSION) {
                throw new IllegalStateException(otherFormat(key, version));
            }
            ConsumerCheckpoint checkpoint = MAPPER.treeToValue(tree, ConsumerCheckpoint.class);
            if (checkpoint.range() == null || checkpoint.state() == null) {
                throw new IllegalArgumentException("Checkpoint " + key + " in the stateRepository is not readable: "
                        + "it has no range or no state");
            }
            return checkpoint;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Checkpoint " + key + " in the stateRepository is not readable: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String otherFormat(String key, int version) {
        String written = version > VERSION ? "format " + version + ", written by a newer version of "
                : (version == 0 ? "an older format" : "format " + version) + ", written by an earlier build of ";
        return "Checkpoint " + key + " in the stateRepository has " + written + "camel-wecom-groupmsg; this one reads "
                + "format " + VERSION + " only. Run " + (version > VERSION ? "the newer version" : "the build that "
                        + "wrote it to its end")
                + ", or remove the key to export again from startTime (records emitted "
                + "before come again)";
    }
}
