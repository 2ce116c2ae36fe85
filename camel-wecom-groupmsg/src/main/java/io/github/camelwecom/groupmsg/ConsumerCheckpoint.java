package io.github.camelwecom.groupmsg;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

import io.github.camelwecom.groupmsg.export.ExportPosition;
import io.github.camelwecom.groupmsg.export.FollowingExport;
import io.github.camelwecom.groupmsg.export.Unreadable;

/**
 * What a consumer must remember to resume after a restart, stored as one JSON value in the endpoint's
 * {@code stateRepository}. The range is resolved once, when the selection first starts, so that a relative
 * {@code startTime} or a passed {@code endTime} means the same after a restart as before it.
 *
 * @param version   the format: absent in values written before it was added (format 1, no range)
 * @param startTime the range's first create_time (epoch seconds), as resolved at the first start
 * @param endTime   the range's last create_time, null when following "now" without end
 * @param following whether the consumer re-reads a span each pass ({@code endTime} absent or after the first start);
 *                  it decides the dedupe, so it is kept too
 * @param passStart first create_time of the current pass (epoch seconds)
 * @param passEnd   last create_time of the current pass, null before the pass was opened
 * @param position  where the pass continues, null at its start
 * @param finished  a bounded export read its whole range
 * @param lastPassEnd  follow mode: end of the last pass read to its end (format 3 on)
 * @param memberDigest follow mode: digest of the send results handed on of the member in progress (format 3 on)
 * @param tracked      follow mode: what was handed on from the span read again, per message and member (format 3 on;
 *                     format 2's per-record {@code emitted} is not read: that span's records may come once more)
 * @param pass         passes completed (format 4 on)
 * @param unreadable   what WeCom refused and later passes read again (format 4 on)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties("emitted")
record ConsumerCheckpoint(Integer version, Long startTime, Long endTime, Boolean following, long passStart,
                          Long passEnd, ExportPosition position, boolean finished, Long lastPassEnd, Long memberDigest,
                          String tracked, Long pass, List<Unreadable> unreadable) {

    /** The format this version writes; it reads formats 1 to this one. */
    static final int VERSION = 4;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    ConsumerCheckpoint(FollowingExport.Range range, FollowingExport.State state) {
        this(VERSION, range.start(), range.end(), range.following(), state.passStart(), state.passEnd(),
                state.position(), state.finished(), state.lastPassEnd(), state.memberDigest(), state.tracked(),
                state.pass() == 0 ? null : state.pass(), state.unreadable());
    }

    FollowingExport.State state() {
        return new FollowingExport.State(passStart, passEnd, position, finished, lastPassEnd, memberDigest, tracked,
                pass == null ? 0 : pass, unreadable);
    }

    /** The same without the tracked state, for the dev console and JMX. */
    ConsumerCheckpoint withoutTracked() {
        return new ConsumerCheckpoint(version, startTime, endTime, following, passStart, passEnd, position, finished,
                lastPassEnd, memberDigest, null, pass, unreadable);
    }

    /** Whether the range was resolved when the selection first started (format 2 on). */
    boolean hasRange() {
        return startTime != null && following != null;
    }

    String toJson() {
        if (tracked == null) {
            try {
                return MAPPER.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write checkpoint", e);
            }
        }
        // the tracked state (up to ~1 MB, written after every batch) is Base64, which JSON takes as it is: appended
        // here instead of scanned for escapes and copied through a growing buffer by the generator
        String rest = withoutTracked().toJson();
        return new StringBuilder(rest.length() + tracked.length() + 16).append(rest, 0, rest.length() - 1)
                .append(",\"tracked\":\"").append(tracked).append("\"}").toString();
    }

    /**
     * @throws IllegalArgumentException naming the key when the value is not a checkpoint (e.g. one written by hand)
     * @throws IllegalStateException    when it is one of a format this version does not read
     */
    static ConsumerCheckpoint fromJson(String key, String json) {
        ConsumerCheckpoint checkpoint;
        try {
            checkpoint = MAPPER.readValue(json, ConsumerCheckpoint.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Checkpoint " + key + " in the stateRepository is not readable: "
                                               + e.getOriginalMessage(), e);
        }
        if (checkpoint.version() != null && checkpoint.version() > VERSION) {
            throw new IllegalStateException("Checkpoint " + key + " in the stateRepository has format "
                                            + checkpoint.version() + ", written by a newer version of "
                                            + "camel-wecom-groupmsg; this one reads formats 1 to " + VERSION
                                            + ". Run the newer version, or remove the key to export again from "
                                            + "startTime");
        }
        return checkpoint;
    }
}
