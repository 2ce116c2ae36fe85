package io.github.camelwecom.groupmsg.simulator;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a complete export must contain, in the JSON form the API serves (built by the same code). Unlike the API,
 * selections may span any time range. Streams are lazy, so even a million results cost little memory.
 *
 * <p>
 * Selections use the API's arguments: chatType "single" or "group", an inclusive create_time range, creator (null for
 * any) and filterType (0 enterprise, 1 personal, 2 all).
 *
 * <p>
 * {@link DataSet#groundTruth()} is the settled truth: every task and send result in its final state, every message
 * present. {@link #asOf(Instant)} gives what the simulator serves when its now is that instant: messages created after
 * it are absent, tasks not yet sent have status 0 and no send_time, their single-chat results status 0 and no
 * send_time, and their group-chat results are absent (group results list sent chats only). With a delivery delay
 * ({@link DataSetSpec#deliveryDelaySeconds()}) a sent task's results, group chats included, keep status 0 and no
 * send_time until each settles; {@link #settleTime(String, String)} tells when a member's are all final.
 */
public final class GroundTruth {
    private final DataSet ds;
    /** Epoch second of "now"; {@link SimClock#SETTLED} for the settled truth. */
    private final long now;

    GroundTruth(DataSet ds) {
        this(ds, SimClock.SETTLED);
    }

    private GroundTruth(DataSet ds, long now) {
        this.ds = ds;
        this.now = now;
    }

    /**
     * The truth at simulated time {@code now} (second precision), i.e. what an export run while
     * {@link WecomSimulator#setNow(Instant)} holds this instant must contain.
     */
    public GroundTruth asOf(Instant now) {
        Objects.requireNonNull(now, "now");
        return new GroundTruth(ds, now.getEpochSecond());
    }

    /** The settled truth, whatever this one's now; the same as {@link DataSet#groundTruth()}. */
    public GroundTruth settled() {
        return ds.groundTruth();
    }

    /** The instant this truth is taken at; empty for the settled truth. */
    public Optional<Instant> now() {
        return now == SimClock.SETTLED ? Optional.empty() : Optional.of(Instant.ofEpochSecond(now));
    }

    /** Messages as get_groupmsg_list_v2 lists them, in API order (create_time, then msgid). */
    public Stream<ObjectNode> messages(String chatType, long startInclusive, long endInclusive, String creator,
            int filterType) {
        return select(chatType, startInclusive, endInclusive, creator, filterType).map(RecordJson::message);
    }

    public long countMessages(String chatType, long startInclusive, long endInclusive, String creator,
            int filterType) {
        return select(chatType, startInclusive, endInclusive, creator, filterType).count();
    }

    /** Every task of the selected messages as {msgid, userid, status, send_time}, in message then task order. */
    public Stream<ObjectNode> tasks(String chatType, long startInclusive, long endInclusive, String creator,
            int filterType) {
        return select(chatType, startInclusive, endInclusive, creator, filterType).flatMap(this::tasksOf);
    }

    public long countTasks(String chatType, long startInclusive, long endInclusive, String creator,
            int filterType) {
        return select(chatType, startInclusive, endInclusive, creator, filterType)
                .mapToLong(Message::taskCount).sum();
    }

    /** The tasks of one message, as {msgid, userid, status, send_time}; empty if it is created after now. */
    public Stream<ObjectNode> tasks(String msgid) {
        Message m = require(msgid);
        return m.existsAt(now) ? tasksOf(m) : Stream.empty();
    }

    public long countTasks(String msgid) {
        Message m = require(msgid);
        return m.existsAt(now) ? m.taskCount() : 0;
    }

    /**
     * Every send result of the selected messages as get_groupmsg_send_result returns them (group chats: sent only),
     * with "msgid" first; in message order, then task order, then API order.
     */
    public Stream<ObjectNode> results(String chatType, long startInclusive, long endInclusive, String creator,
            int filterType) {
        return select(chatType, startInclusive, endInclusive, creator, filterType).flatMap(this::resultsOf);
    }

    public long countResults(String chatType, long startInclusive, long endInclusive, String creator,
            int filterType) {
        return select(chatType, startInclusive, endInclusive, creator, filterType)
                .mapToLong(m -> m.totalReturnedAt(now)).sum();
    }

    /** All send results of one message, with "msgid" first, in task order then API order. */
    public Stream<ObjectNode> results(String msgid) {
        Message m = require(msgid);
        return m.existsAt(now) ? resultsOf(m) : Stream.empty();
    }

    public long countResults(String msgid) {
        return require(msgid).totalReturnedAt(now);
    }

    /** The send results of one member for one message, with "msgid" first; empty when the member has no task. */
    public Stream<ObjectNode> results(String msgid, String userid) {
        Message m = require(msgid);
        int task = taskIndex(m, userid);
        return task < 0 || !m.existsAt(now) ? Stream.empty()
                : RecordJson.results(ds, m, task, 0, now).map(r -> RecordJson.withMsgid(m.msgid, r));
    }

    public long countResults(String msgid, String userid) {
        Message m = require(msgid);
        int task = taskIndex(m, userid);
        return task < 0 || !m.existsAt(now) ? 0 : m.taskReturnedAt(task, now);
    }

    /**
     * Epoch second from which the member's task and send results of the message are all final (whatever this truth's
     * now): its send_time plus the slowest result's delivery delay; 0 when the member has no task or never sends it.
     */
    public long settleTime(String msgid, String userid) {
        Message m = require(msgid);
        int task = taskIndex(m, userid);
        return task < 0 ? 0 : m.taskSettleTime(task);
    }

    @Override
    public String toString() {
        return "GroundTruth[" + (now == SimClock.SETTLED ? "settled" : "as of " + Instant.ofEpochSecond(now)) + "]";
    }

    private Stream<ObjectNode> tasksOf(Message m) {
        return IntStream.range(0, m.taskCount())
                .mapToObj(t -> RecordJson.withMsgid(m.msgid, RecordJson.task(ds, m, t, now)));
    }

    private Stream<ObjectNode> resultsOf(Message m) {
        return IntStream.range(0, m.taskCount()).boxed()
                .flatMap(t -> RecordJson.results(ds, m, t, 0, now).map(r -> RecordJson.withMsgid(m.msgid, r)));
    }

    private Stream<Message> select(String chatType, long start, long end, String creator, int filterType) {
        MessageFilter f = MessageFilter.of(chatType, start, end, creator, filterType);
        long last = Math.min(end, now);
        if (last < start) {
            return Stream.empty();
        }
        Message[] all = ds.messages(f.chatType());
        return Arrays.stream(all, ds.firstAtOrAfter(f.chatType(), start), ds.endAtOrBefore(f.chatType(), last))
                .filter(f::matches);
    }

    private Message require(String msgid) {
        Message m = ds.message(msgid);
        if (m == null) {
            throw new IllegalArgumentException("no such msgid: " + msgid);
        }
        return m;
    }

    private int taskIndex(Message m, String userid) {
        Member member = ds.member(userid);
        return member == null ? -1 : m.taskOf(member.index());
    }
}
