package io.github.camelwecom.groupmsg.simulator;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The simulated enterprise: members, their customers and group chats, and the mass messages with their tasks. Immutable
 * and thread-safe. Send results are not stored but derived on demand, so even a data set with millions of results is
 * small.
 */
public final class DataSet {
    private static final Comparator<Message> API_ORDER =
            Comparator.<Message>comparingLong(m -> m.createTime).thenComparing(m -> m.msgid);

    private final DataSetSpec spec;
    private final List<Member> members;
    private final Map<String, Member> membersByUserid = new HashMap<>();
    private final Message[] single;
    private final Message[] group;
    private final Map<String, Message> byMsgid = new HashMap<>();
    private final GroundTruth groundTruth;

    DataSet(DataSetSpec spec, List<Member> members, List<Message> single, List<Message> group) {
        this.spec = spec;
        this.members = List.copyOf(members);
        this.single = single.stream().sorted(API_ORDER).toArray(Message[]::new);
        this.group = group.stream().sorted(API_ORDER).toArray(Message[]::new);
        for (Member m : members) {
            membersByUserid.put(m.userid(), m);
        }
        for (Message m : this.single) {
            byMsgid.put(m.msgid, m);
        }
        for (Message m : this.group) {
            byMsgid.put(m.msgid, m);
        }
        this.groundTruth = new GroundTruth(this);
    }

    /** Builds the data set described by {@code spec}; the same spec always gives the same data. */
    public static DataSet generate(DataSetSpec spec) {
        return new DataSetGenerator(spec).generate();
    }

    public DataSetSpec spec() {
        return spec;
    }

    /** What a complete export of any selection must contain. */
    public GroundTruth groundTruth() {
        return groundTruth;
    }

    /** All member userids, in task order. */
    public List<String> userids() {
        return members.stream().map(Member::userid).toList();
    }

    /** Userids that created at least one message. */
    public Set<String> creators() {
        Set<String> creators = new TreeSet<>();
        Stream.concat(Arrays.stream(single), Arrays.stream(group)).forEach(m -> creators.add(m.creator));
        return Collections.unmodifiableSet(creators);
    }

    /** Epoch second at which the spec's first day starts. */
    public long startEpochSecond() {
        return spec.firstDay().atStartOfDay(spec.zone()).toEpochSecond();
    }

    /** Last epoch second of the spec's last day (inclusive). */
    public long endEpochSecond() {
        return spec.lastDay().plusDays(1).atStartOfDay(spec.zone()).toEpochSecond() - 1;
    }

    public int messageCount() {
        return single.length + group.length;
    }

    public int messageCount(ChatType type) {
        return messages(type).length;
    }

    /** Tasks of all messages. */
    public long taskCount() {
        return Stream.concat(Arrays.stream(single), Arrays.stream(group)).mapToLong(Message::taskCount).sum();
    }

    /** Send results get_groupmsg_send_result returns over all messages and members. */
    public long sendResultCount() {
        return Stream.concat(Arrays.stream(single), Arrays.stream(group)).mapToLong(Message::totalReturned).sum();
    }

    /** Tasks of the messages of one chat type: what a {@code task} export of that chat type finds. */
    public long taskCount(ChatType type) {
        return Arrays.stream(messages(type)).mapToLong(Message::taskCount).sum();
    }

    /** Send results of the messages of one chat type: what a {@code result} export of that chat type finds. */
    public long sendResultCount(ChatType type) {
        return Arrays.stream(messages(type)).mapToLong(Message::totalReturned).sum();
    }

    /** Number of customers of a member, or -1 for an unknown userid. */
    public int customerCount(String userid) {
        Member m = membersByUserid.get(userid);
        return m == null ? -1 : m.customers();
    }

    @Override
    public String toString() {
        return String.format("DataSet[seed=%d, %d single + %d group messages, %d members, %d tasks, %d send results]",
                spec.seed(), single.length, group.length, members.size(), taskCount(), sendResultCount());
    }

    /** Messages of one chat type in API order; callers must not modify the array. */
    Message[] messages(ChatType type) {
        return type == ChatType.SINGLE ? single : group;
    }

    /** Null when unknown. */
    Message message(String msgid) {
        return byMsgid.get(msgid);
    }

    Member member(int index) {
        return members.get(index);
    }

    /** Null when unknown. */
    Member member(String userid) {
        return membersByUserid.get(userid);
    }

    /** Index of the first message of {@code type} created at or after {@code time}. */
    int firstAtOrAfter(ChatType type, long time) {
        Message[] a = messages(type);
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid].createTime < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index just past the last message of {@code type} created at or before {@code time}. */
    int endAtOrBefore(ChatType type, long time) {
        return time == Long.MAX_VALUE ? messages(type).length : firstAtOrAfter(type, time + 1);
    }
}
