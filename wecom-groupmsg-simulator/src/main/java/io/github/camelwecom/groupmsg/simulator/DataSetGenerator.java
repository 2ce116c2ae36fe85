package io.github.camelwecom.groupmsg.simulator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Builds a {@link DataSet} from a {@link DataSetSpec}; every choice comes from the spec's seed. */
final class DataSetGenerator {
    private static final String[] NAMES = {
            "zhangsan", "lisi", "wangwu", "zhaoliu", "sunqi", "zhouba", "wujiu", "zhengshi", "chenjing", "liuyang",
            "yangfan", "huangli", "wangfang", "liuna", "chenming", "linxiao", "hexin", "guowei", "maliang", "luoyi",
            "gaoyuan", "songjia", "tangqian", "xuhui", "hanmei", "fengyu", "caolin", "dengchao", "xiejun", "panwen" };
    private static final int MAX_SEND_DELAY = 3 * 86400;
    private static final int MAX_MESSAGES = 2_000_000;

    private final DataSetSpec spec;
    private final SplittableRandom rnd;
    private final ContentGenerator content;
    private final Delivery delivery;
    private final Set<String> msgids = new HashSet<>();
    private long createdMessages;
    private boolean reachedBigMembers;

    private Member[] members;
    private int[] allMembers;
    private int[] owners;
    private int[] admins;
    private int[] activeMembers;
    private int[] activeOwners;
    private long[] dayStarts;
    private double[] dayWeightSums;

    DataSetGenerator(DataSetSpec spec) {
        this.spec = spec;
        this.rnd = new SplittableRandom(spec.seed());
        this.content = new ContentGenerator(spec.unknownAttachmentType());
        this.delivery = Delivery.of(spec);
    }

    DataSet generate() {
        createMembers();
        chooseCreators();
        weighDays();
        List<Message> single = new ArrayList<>();
        List<Message> group = new ArrayList<>();
        if (spec.targetSendResults() > 0) {
            long results = 0;
            while (results < spec.targetSendResults() && single.size() < MAX_MESSAGES) {
                Message m = message(ChatType.SINGLE, single);
                single.add(m);
                results += m.totalReturned();
            }
        } else {
            for (int i = 0; i < spec.singleMessages(); i++) {
                single.add(message(ChatType.SINGLE, single));
            }
        }
        for (int i = 0; i < spec.groupMessages(); i++) {
            group.add(message(ChatType.GROUP, group));
        }
        return new DataSet(spec, List.of(members), single, group);
    }

    private void createMembers() {
        int n = spec.members();
        members = new Member[n];
        boolean[] big = new boolean[n];
        int[] order = shuffled(n);
        for (int i = 0; i < spec.bigMembers(); i++) {
            big[order[i]] = true;
        }
        List<Integer> ownerList = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String userid = NAMES[i % NAMES.length] + String.format("%02d", i / NAMES.length + 1);
            int customers;
            if (big[i]) {
                customers = spec.bigMemberMinCustomers()
                        + rnd.nextInt(spec.bigMemberMaxCustomers() - spec.bigMemberMinCustomers() + 1);
            } else {
                // log-normal: most members have a few dozen customers, some a few hundred
                double c = spec.typicalCustomers() * Math.exp(0.9 * rnd.nextGaussian());
                customers = (int) Math.max(1, Math.min(950, Math.round(c)));
            }
            int chats = 0;
            if (rnd.nextDouble() < 0.65 || (i == n - 1 && ownerList.isEmpty())) {
                double u = rnd.nextDouble();
                chats = 1 + (int) (u * u * spec.maxChatsPerMember());
                chats = Math.min(chats, spec.maxChatsPerMember());
                ownerList.add(i);
            }
            members[i] = new Member(i, userid, customers, chats, Hashing.mix(spec.seed(), 0x6d656d626572L, i));
        }
        allMembers = new int[n];
        Arrays.setAll(allMembers, i -> i);
        owners = ownerList.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A few admins create the enterprise messages; a subset of members creates most personal ones. */
    private void chooseCreators() {
        int[] order = shuffled(members.length);
        admins = Arrays.copyOf(order, Math.min(3, members.length));
        activeMembers = Arrays.copyOf(shuffled(members.length), Math.max(1, members.length * 2 / 5));
        int[] ownerOrder = shuffled(owners.length);
        activeOwners = new int[Math.max(1, owners.length / 2)];
        for (int i = 0; i < activeOwners.length; i++) {
            activeOwners[i] = owners[ownerOrder[i]];
        }
    }

    /** Uneven activity: quiet days, slow weekends, a few campaign days with many messages. */
    private void weighDays() {
        List<LocalDate> days = spec.firstDay().datesUntil(spec.lastDay().plusDays(1)).toList();
        dayStarts = new long[days.size()];
        dayWeightSums = new double[days.size()];
        double sum = 0;
        for (int i = 0; i < days.size(); i++) {
            LocalDate d = days.get(i);
            dayStarts[i] = d.atStartOfDay(spec.zone()).toEpochSecond();
            double w = rnd.nextDouble() < 0.3 ? 0 : 1;
            if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                w *= 0.35;
            }
            if (rnd.nextDouble() < 0.06) {
                w = 5;
            }
            sum += w;
            dayWeightSums[i] = sum;
        }
        if (sum == 0) {
            Arrays.setAll(dayWeightSums, i -> i + 1.0);
        }
    }

    private long createTime(List<Message> sameType) {
        // some messages share a second with an earlier one, so ordering by msgid matters
        if (!sameType.isEmpty() && rnd.nextDouble() < 0.08) {
            return sameType.get(rnd.nextInt(sameType.size())).createTime;
        }
        double x = rnd.nextDouble() * dayWeightSums[dayWeightSums.length - 1];
        int lo = 0;
        int hi = dayWeightSums.length - 1;
        while (lo < hi) { // first day whose running sum exceeds x: weightless days are never chosen
            int mid = (lo + hi) >>> 1;
            if (dayWeightSums[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int day = lo;
        long sinceMidnight = 8 * 3600 + rnd.nextInt(14 * 3600);
        // snapped after the draw, so every step draws the same numbers and step 1 is the unsnapped data set
        return dayStarts[day] + sinceMidnight - sinceMidnight % spec.createTimeStep();
    }

    private Message message(ChatType type, List<Message> sameType) {
        long createTime = createTime(sameType);
        boolean enterprise = rnd.nextDouble() < spec.enterpriseShare();
        int creator = enterprise ? pick(admins) : pick(type == ChatType.SINGLE ? activeMembers : activeOwners);
        String msgid = newMsgid(type);
        long key = Hashing.mix(spec.seed(), Hashing.hash(msgid));
        ContentGenerator.Content c = content.next(rnd, key, sameType.size());
        int[] targeted = enterprise ? targetedMembers(type) : new int[] { creator };

        int n = targeted.length;
        int[] sendTime = new int[n];
        int[] targets = new int[n];
        int[] start = new int[n];
        int[] returned = new int[n];
        for (int t = 0; t < n; t++) {
            Member m = members[targeted[t]];
            if (rnd.nextDouble() < spec.sentShare()) {
                double u = rnd.nextDouble();
                sendTime[t] = (int) (createTime + 30 + (long) (u * u * u * MAX_SEND_DELAY));
            }
            if (type == ChatType.SINGLE) {
                double fraction = m.customers() > 1000 ? 0.9 + 0.1 * rnd.nextDouble() : 0.3 + 0.7 * rnd.nextDouble();
                targets[t] = Math.max(1, (int) Math.round(fraction * m.customers()));
                start[t] = rnd.nextInt(m.customers());
                returned[t] = targets[t];
            } else {
                targets[t] = 1 + rnd.nextInt(m.chats());
                start[t] = rnd.nextInt(m.chats());
                returned[t] = SendResults.returnedGroupSlots(key, m.index(), sendTime[t] != 0, targets[t]).length;
            }
        }
        return new Message(msgid, type, members[creator].userid(), enterprise ? 0 : 1, createTime, c.text(),
                c.attachments(), key, targeted, sendTime, targets, start, returned, delivery);
    }

    /** Members an enterprise message goes to, ascending; big members are often included. */
    private int[] targetedMembers(ChatType type) {
        int[] pool = type == ChatType.SINGLE ? allMembers : owners;
        boolean[] chosen = new boolean[members.length];
        int k = 1 + rnd.nextInt(Math.max(1, (int) (pool.length * 0.25)));
        for (int i = 0; i < k; i++) {
            chosen[pick(pool)] = true;
        }
        if (type == ChatType.SINGLE) {
            // the first enterprise message reaches every big member, so multi-page results always exist
            boolean first = !reachedBigMembers;
            reachedBigMembers = true;
            for (Member m : members) {
                if (m.customers() > 1000 && (first || rnd.nextDouble() < 0.1)) {
                    chosen[m.index()] = true;
                }
            }
        }
        int[] out = new int[members.length];
        int n = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i]) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private String newMsgid(ChatType type) {
        while (true) {
            String id = Hashing.id("msg", Hashing.mix(spec.seed(), type.ordinal(), createdMessages++), 27);
            if (msgids.add(id)) {
                return id;
            }
        }
    }

    private int pick(int[] from) {
        return from[rnd.nextInt(from.length)];
    }

    private int[] shuffled(int n) {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }
}
