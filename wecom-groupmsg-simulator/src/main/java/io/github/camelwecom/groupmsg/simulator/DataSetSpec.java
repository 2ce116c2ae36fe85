package io.github.camelwecom.groupmsg.simulator;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What {@link DataSet#generate(DataSetSpec)} builds. The same spec always yields the same data set.
 *
 * @param seed drives every random choice
 * @param zone zone of the calendar days below (WeCom works in China time)
 * @param firstDay first day on which messages are created
 * @param lastDay last day (inclusive) on which messages are created
 * @param singleMessages single-chat messages to create; ignored when {@code targetSendResults > 0}
 * @param groupMessages group-chat messages to create
 * @param targetSendResults when positive, single-chat messages are added until about this many send results exist
 * @param members number of members (employees)
 * @param bigMembers members with more than 1,000 customers, so their send results span pages
 * @param typicalCustomers median customer count of the other members
 * @param bigMemberMinCustomers fewest customers of a big member
 * @param bigMemberMaxCustomers most customers of a big member
 * @param maxChatsPerMember most customer group chats one member owns
 * @param enterpriseShare share of messages created by the enterprise (create_type 0) rather than a member
 * @param sentShare share of tasks the member has sent
 * @param unknownAttachmentType add attachments of a type WeCom may introduce later ("channels")
 * @param createTimeStep every create_time is a multiple of this many seconds after midnight (in {@code zone}) of its
 * day, snapped down; 1 (the default) leaves them as drawn. With 3600 every message sits on a whole hour, so a test can
 * put list-window edges exactly on records
 * @param deliveryDelaySeconds how long after its task says sent each send result still says 0 (WeCom delivers
 * asynchronously); 0 (the default) settles them with the task
 * @param deliveryJitterSeconds most extra seconds, beyond the delay, one result takes to settle; each result's extra in
 * {@code [0, deliveryJitterSeconds]} is hashed from its message, member and position, so the same spec settles it at
 * the same second; default 0
 */
public record DataSetSpec(
        long seed,
        ZoneId zone,
        LocalDate firstDay,
        LocalDate lastDay,
        int singleMessages,
        int groupMessages,
        long targetSendResults,
        int members,
        int bigMembers,
        int typicalCustomers,
        int bigMemberMinCustomers,
        int bigMemberMaxCustomers,
        int maxChatsPerMember,
        double enterpriseShare,
        double sentShare,
        boolean unknownAttachmentType,
        long createTimeStep,
        long deliveryDelaySeconds,
        long deliveryJitterSeconds) {

    public DataSetSpec {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(firstDay, "firstDay");
        Objects.requireNonNull(lastDay, "lastDay");
        require(!lastDay.isBefore(firstDay), "lastDay before firstDay");
        require(singleMessages >= 0 && groupMessages >= 0 && targetSendResults >= 0, "negative message counts");
        require(members >= 1, "members must be >= 1");
        require(bigMembers >= 0 && bigMembers <= members, "bigMembers must be in 0..members");
        require(typicalCustomers >= 1, "typicalCustomers must be >= 1");
        require(bigMemberMinCustomers > 1000 && bigMemberMaxCustomers >= bigMemberMinCustomers,
                "big members need more than 1000 customers and max >= min");
        require(maxChatsPerMember >= 1, "maxChatsPerMember must be >= 1");
        require(enterpriseShare >= 0 && enterpriseShare <= 1, "enterpriseShare must be in 0..1");
        require(sentShare >= 0 && sentShare <= 1, "sentShare must be in 0..1");
        require(createTimeStep >= 1, "createTimeStep must be >= 1");
        require(deliveryDelaySeconds >= 0 && deliveryDelaySeconds <= Integer.MAX_VALUE,
                "deliveryDelaySeconds must be in 0.." + Integer.MAX_VALUE);
        require(deliveryJitterSeconds >= 0 && deliveryJitterSeconds < Integer.MAX_VALUE,
                "deliveryJitterSeconds must be in 0.." + (Integer.MAX_VALUE - 1));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** For unit tests: a few dozen messages, a few thousand send results, one member with over 1,000 customers. */
    public static DataSetSpec small() {
        return builder().singleMessages(30).groupMessages(15).members(12).bigMembers(1)
                .typicalCustomers(25).bigMemberCustomers(1150, 1250).maxChatsPerMember(6).build();
    }

    /** For demos: a few hundred messages over four months, about 200,000 send results. */
    public static DataSetSpec demo() {
        return builder().build();
    }

    /** For benchmarks: about a million send results. */
    public static DataSetSpec large() {
        return withResults(1_000_000);
    }

    /**
     * A large corp, for follow-mode figures: 2,000 members, 20 of them with 1,200-3,000 customers, about 38 single-chat
     * messages a day over 30 days (half of them company messages): about 2.45 million send results in any 3 days.
     */
    public static DataSetSpec largeCorp() {
        return builder().days(LocalDate.of(2025, 9, 1), LocalDate.of(2025, 9, 30)).members(2000).bigMembers(20)
                .typicalCustomers(150).bigMemberCustomers(1200, 3000).singleMessages(1150).groupMessages(100).build();
    }

    /** The preset of that name: {@code small}, {@code demo}, {@code large} or {@code large-corp}. */
    public static DataSetSpec preset(String name) {
        return switch (name) {
            case "small" -> small();
            case "demo" -> demo();
            case "large" -> large();
            case "large-corp" -> largeCorp();
            default -> throw new IllegalArgumentException(
                    "unknown data set " + name + ": small, demo, large or large-corp");
        };
    }

    /** A data set with roughly {@code sendResults} single-chat send results; members and group messages scale along. */
    public static DataSetSpec withResults(long sendResults) {
        if (sendResults < 1) {
            throw new IllegalArgumentException("sendResults must be >= 1");
        }
        int members = (int) Math.max(20, Math.min(400, sendResults / 5000));
        int big = sendResults >= 50_000 ? Math.max(1, members / 20) : 0;
        return builder().targetSendResults(sendResults).members(members).bigMembers(big)
                .typicalCustomers(sendResults >= 50_000 ? 120 : 30).bigMemberCustomers(1300, 4000)
                .groupMessages((int) Math.max(20, Math.min(400, sendResults / 5000))).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public DataSetSpec withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    public DataSetSpec withUnknownAttachmentType(boolean enabled) {
        return toBuilder().unknownAttachmentType(enabled).build();
    }

    /** Defaults are the demo data set. */
    public static final class Builder {
        private long seed = 42;
        private ZoneId zone = ZoneId.of("Asia/Shanghai");
        private LocalDate firstDay = LocalDate.of(2025, 9, 1);
        private LocalDate lastDay = LocalDate.of(2025, 12, 31);
        private int singleMessages = 250;
        private int groupMessages = 100;
        private long targetSendResults;
        private int members = 80;
        private int bigMembers = 2;
        private int typicalCustomers = 40;
        private int bigMemberMinCustomers = 1200;
        private int bigMemberMaxCustomers = 3000;
        private int maxChatsPerMember = 12;
        private double enterpriseShare = 0.5;
        private double sentShare = 0.8;
        private boolean unknownAttachmentType;
        private long createTimeStep = 1;
        private long deliveryDelaySeconds;
        private long deliveryJitterSeconds;

        private Builder() {
        }

        private Builder(DataSetSpec s) {
            seed = s.seed;
            zone = s.zone;
            firstDay = s.firstDay;
            lastDay = s.lastDay;
            singleMessages = s.singleMessages;
            groupMessages = s.groupMessages;
            targetSendResults = s.targetSendResults;
            members = s.members;
            bigMembers = s.bigMembers;
            typicalCustomers = s.typicalCustomers;
            bigMemberMinCustomers = s.bigMemberMinCustomers;
            bigMemberMaxCustomers = s.bigMemberMaxCustomers;
            maxChatsPerMember = s.maxChatsPerMember;
            enterpriseShare = s.enterpriseShare;
            sentShare = s.sentShare;
            unknownAttachmentType = s.unknownAttachmentType;
            createTimeStep = s.createTimeStep;
            deliveryDelaySeconds = s.deliveryDelaySeconds;
            deliveryJitterSeconds = s.deliveryJitterSeconds;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder zone(ZoneId v) {
            zone = v;
            return this;
        }

        public Builder days(LocalDate first, LocalDate last) {
            firstDay = first;
            lastDay = last;
            return this;
        }

        public Builder singleMessages(int v) {
            singleMessages = v;
            return this;
        }

        public Builder groupMessages(int v) {
            groupMessages = v;
            return this;
        }

        public Builder targetSendResults(long v) {
            targetSendResults = v;
            return this;
        }

        public Builder members(int v) {
            members = v;
            return this;
        }

        public Builder bigMembers(int v) {
            bigMembers = v;
            return this;
        }

        public Builder typicalCustomers(int v) {
            typicalCustomers = v;
            return this;
        }

        public Builder bigMemberCustomers(int min, int max) {
            bigMemberMinCustomers = min;
            bigMemberMaxCustomers = max;
            return this;
        }

        public Builder maxChatsPerMember(int v) {
            maxChatsPerMember = v;
            return this;
        }

        public Builder enterpriseShare(double v) {
            enterpriseShare = v;
            return this;
        }

        public Builder sentShare(double v) {
            sentShare = v;
            return this;
        }

        public Builder unknownAttachmentType(boolean v) {
            unknownAttachmentType = v;
            return this;
        }

        /** Snaps every create_time down to a multiple of {@code seconds} counted from its day's midnight; default 1. */
        public Builder createTimeStep(long seconds) {
            createTimeStep = seconds;
            return this;
        }

        /** Each send result still says 0 this long after its task says sent; default 0 (settles with the task). */
        public Builder deliveryDelaySeconds(long seconds) {
            deliveryDelaySeconds = seconds;
            return this;
        }

        /** Up to this many more seconds per result, beyond the delay, fixed by hashing; default 0. */
        public Builder deliveryJitterSeconds(long seconds) {
            deliveryJitterSeconds = seconds;
            return this;
        }

        public DataSetSpec build() {
            return new DataSetSpec(seed, zone, firstDay, lastDay, singleMessages, groupMessages, targetSendResults,
                    members, bigMembers, typicalCustomers, bigMemberMinCustomers, bigMemberMaxCustomers,
                    maxChatsPerMember, enterpriseShare, sentShare, unknownAttachmentType, createTimeStep,
                    deliveryDelaySeconds, deliveryJitterSeconds);
        }
    }
}
