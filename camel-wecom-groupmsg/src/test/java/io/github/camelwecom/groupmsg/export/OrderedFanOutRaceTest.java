package io.github.camelwecom.groupmsg.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.github.camelwecom.groupmsg.export.OrderedFanOut.Point;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Looks for races between the fan-out's caller and its reads: many rounds, each with its own seed, pause at the
 * hand-offs (a read's put and end, the caller's take and cancel) as the seed says, and every record is checked. The
 * seed fixes a round's shape and how often and how long it pauses where; the interleavings still differ from run to
 * run, hence many seeds. Bounded by rounds and records, not by time: the timeouts only catch a hang.
 */
class OrderedFanOutRaceTest {

    /** Rounds of the in-order stress: about 90,000 parents and 2.8 million records in all. */
    private static final int ROUNDS = 800;
    private static final int CLOSE_ROUNDS = 300;
    private static final int FAILURE_ROUNDS = 300;
    /** Only a hang takes this long: a round ends in milliseconds, its pool's threads at once. */
    private static final Duration HANG = Duration.ofMinutes(3);
    private static final long HANG_SECONDS = 30;

    @Test
    void everyRecordOfEveryParentArrivesOnceAndInOrder() {
        assertTimeoutPreemptively(HANG, () -> {
            List<String> wrong = new ArrayList<>();
            long records = 0;
            long lost = 0;
            for (int seed = 0; seed < ROUNDS; seed++) {
                Round round = new Round(seed, false);
                ExecutorService pool = round.pool();
                try (OrderedFanOut<Integer, Long> fanOut = round.fanOut(pool)) {
                    Check check = new Check(round);
                    while (fanOut.hasNext()) {
                        check.record(fanOut.next());
                    }
                    records += round.total;
                    lost += check.missing();
                    check.report(wrong);
                }
                stop(pool, round);
            }
            assertThat(wrong).as("%d of %d records lost; rounds that went wrong", lost, records).isEmpty();
            assertThat(records).isGreaterThan(2_000_000);
        });
    }

    @Test
    void closingWhileReadsHandOverLeavesNoThreadBlocked() {
        assertTimeoutPreemptively(HANG, () -> {
            List<String> wrong = new ArrayList<>();
            for (int seed = 0; seed < CLOSE_ROUNDS; seed++) {
                Round round = new Round(seed, true);
                ExecutorService pool = round.pool();
                OrderedFanOut<Integer, Long> fanOut = round.fanOut(pool);
                Check check = new Check(round);
                // a third of the parents are endless: their reads wait for room when the caller stops reading
                int read = new SplittableRandom(seed).nextInt(200);
                for (int n = 0; n < read && fanOut.hasNext(); n++) {
                    check.record(fanOut.next());
                }
                fanOut.close();
                String after = afterTheEnd(fanOut);
                if (after != null) {
                    wrong.add("seed " + seed + ": after close " + after);
                }
                check.reportOrder(wrong);
                stop(pool, round);
            }
            assertThat(wrong).isEmpty();
        });
    }

    @Test
    void aFailureSurfacesInOrderAfterEveryRecordBeforeIt() {
        assertTimeoutPreemptively(HANG, () -> {
            List<String> wrong = new ArrayList<>();
            for (int seed = 0; seed < FAILURE_ROUNDS; seed++) {
                Round round = new Round(seed, false);
                SplittableRandom r = new SplittableRandom(~seed);
                int failing = r.nextInt(round.counts.length);
                // the failing parent's own read fails after some of its records, or listing it fails
                boolean listing = r.nextInt(4) == 0;
                int before = listing ? 0 : r.nextInt(round.counts[failing] + 1);
                round.failAt(failing, listing ? -1 : before);
                ExecutorService pool = round.pool();
                OrderedFanOut<Integer, Long> fanOut = round.fanOut(pool);
                Check check = new Check(round);
                RuntimeException failure = null;
                try {
                    while (fanOut.hasNext()) {
                        check.record(fanOut.next());
                    }
                } catch (RuntimeException e) {
                    failure = e;
                }
                String expected = "parent " + failing + " failed";
                if (failure == null || !expected.equals(failure.getMessage())) {
                    wrong.add("seed " + seed + ": expected '" + expected + "', got " + failure);
                } else {
                    String after = afterTheEnd(fanOut);
                    if (after != null) {
                        wrong.add("seed " + seed + ": after the failure " + after);
                    }
                }
                check.reportUpTo(failing, before, wrong);
                // the failure closed the fan-out itself: no read is left waiting for room
                stop(pool, round);
            }
            assertThat(wrong).isEmpty();
        });
    }

    /** Null when the fan-out has nothing more to say. */
    private static String afterTheEnd(OrderedFanOut<Integer, Long> fanOut) {
        try {
            return fanOut.hasNext() ? "a record" : null;
        } catch (RuntimeException e) {
            return "a failure again: " + e;
        }
    }

    /** Every read of the round has ended, none is left waiting for room: the pool's threads end at once. */
    private static void stop(ExecutorService pool, Round round) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(HANG_SECONDS, TimeUnit.SECONDS)) {
            String prefix = "race-" + round.seed + "-";
            String blocked = Thread.getAllStackTraces().entrySet().stream()
                    .filter(t -> t.getKey().getName().startsWith(prefix))
                    .map(t -> t.getKey().getName() + " at " + Arrays.stream(t.getValue()).limit(8).toList())
                    .collect(Collectors.joining("; "));
            pool.shutdownNow();
            throw new AssertionError("seed " + round.seed + ": reads still running after the fan-out: " + blocked);
        }
    }

    /** Record {@code i} of parent {@code p}. */
    private static long record(int p, int i) {
        return (long) p << 32 | i;
    }

    /** One round's shape: its parents and their records, chunks, read-ahead, pool and pauses, all from its seed. */
    private static final class Round {
        private static final int ENDLESS = Integer.MAX_VALUE;
        private static final double[] CHANCES = { 0, 0, 0.02, 0.2, 0.6, 1 };

        final int seed;
        final int[] counts;
        final long total;
        private final int ahead;
        private final int chunkSize;
        /** Records a read has in memory at once: a page; 0 hands them over one by one. */
        private final int page;
        private final int threads;
        private final double[] chances = new double[Point.values().length];
        private final int spins;
        private int failingParent = -1;
        private int failingAfter;

        Round(int seed, boolean endless) {
            this.seed = seed;
            SplittableRandom r = new SplittableRandom(seed);
            ahead = 1 + r.nextInt(8);
            chunkSize = new int[] { 1, 2, 3, 8, 32, 128, 512 }[r.nextInt(7)];
            page = new int[] { 0, 0, 1, 5, 20, 100, 250, 500 }[r.nextInt(8)];
            threads = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0;
            for (int i = 0; i < chances.length; i++) {
                chances[i] = CHANCES[r.nextInt(CHANCES.length)];
            }
            spins = 1 + r.nextInt(500);
            // mostly parents of a few records: the end of a parent is where a read and the caller meet most; the
            // others of up to 6 chunks carry the bulk of the records
            int perChunk = page == 0 ? 1 : Math.min(chunkSize, page);
            counts = new int[20 + r.nextInt(180)];
            long sum = 0;
            for (int p = 0; p < counts.length; p++) {
                if (endless && r.nextInt(3) == 0) {
                    counts[p] = ENDLESS;
                    continue;
                }
                counts[p] = r.nextInt(3) > 0 ? r.nextInt(4) : r.nextInt(6 * perChunk + 1);
                sum += counts[p];
            }
            total = sum;
        }

        /** Parent {@code p}'s read fails after {@code after} records; listing it fails where {@code after} < 0. */
        void failAt(int p, int after) {
            failingParent = p;
            failingAfter = after;
        }

        ExecutorService pool() {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory named = task -> new Thread(task, "race-" + seed + "-" + n.incrementAndGet());
            return threads == 0 ? Executors.newCachedThreadPool(named) : Executors.newFixedThreadPool(threads, named);
        }

        OrderedFanOut<Integer, Long> fanOut(ExecutorService pool) {
            return new OrderedFanOut<>(parents(), this::children, ahead, chunkSize, pool, this::pause);
        }

        private Iterator<Integer> parents() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    if (next == failingParent && failingAfter < 0) {
                        throw new IllegalStateException("parent " + next + " failed");
                    }
                    return next < counts.length;
                }

                @Override
                public Integer next() {
                    return next++;
                }
            };
        }

        private Iterator<Long> children(int p) {
            return new Records(p, counts[p], page, p == failingParent ? failingAfter : -1);
        }

        /** Where the seed says so: a yield, a spin, or now and then a sleep that gives the other thread the core. */
        private void pause(Point point) {
            double chance = chances[point.ordinal()];
            ThreadLocalRandom r = ThreadLocalRandom.current();
            if (chance == 0 || r.nextDouble() >= chance) {
                return;
            }
            int kind = r.nextInt(32);
            if (kind < 12) {
                Thread.yield();
            } else if (kind < 31) {
                for (int n = r.nextInt(spins); n > 0; n--) {
                    Thread.onSpinWait();
                }
            } else {
                LockSupport.parkNanos(1_000 + r.nextInt(20_000));
            }
        }
    }

    /** A parent's records, a page at a time in memory as the API's are; with {@code page} 0 one by one. */
    private static final class Records implements Iterator<Long>, Buffered {
        private final int parent;
        private final int count;
        private final int page;
        private final int failAfter;
        private int next;

        Records(int parent, int count, int page, int failAfter) {
            this.parent = parent;
            this.count = count;
            this.page = page;
            this.failAfter = failAfter;
        }

        @Override
        public boolean hasNext() {
            if (next == failAfter) {
                throw new IllegalStateException("parent " + parent + " failed");
            }
            return next < count;
        }

        @Override
        public Long next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return record(parent, next++);
        }

        @Override
        public boolean hasBuffered() {
            return page > 0 && next % page != 0 && next < count && next != failAfter;
        }
    }

    /** Checks the records a round hands over: each parent's in order, the parents in order, none twice. */
    private static final class Check {
        private final Round round;
        private final int[] got;
        private int parent;
        private long outOfOrder;
        private String firstWrong;

        Check(Round round) {
            this.round = round;
            this.got = new int[round.counts.length];
        }

        void record(long record) {
            int p = (int) (record >>> 32);
            int i = (int) record;
            if (p < parent || i != got[p]) {
                outOfOrder++;
                if (firstWrong == null) {
                    firstWrong = "parent " + p + " record " + i + " where parent " + parent + " record " + got[parent]
                            + " was due";
                }
            }
            if (p > parent) {
                // every parent between had to be complete
                for (int q = parent; q < p; q++) {
                    if (got[q] != round.counts[q] && firstWrong == null) {
                        firstWrong = "parent " + q + " ended after " + got[q] + " of " + round.counts[q]
                                + " records";
                    }
                }
                parent = p;
            }
            got[p]++;
        }

        long missing() {
            long missing = 0;
            for (int p = 0; p < got.length; p++) {
                missing += Math.max(0, round.counts[p] - got[p]);
            }
            return missing;
        }

        long extra() {
            long extra = 0;
            for (int p = 0; p < got.length; p++) {
                extra += Math.max(0, got[p] - round.counts[p]);
            }
            return extra;
        }

        /** All of the round's records. */
        void report(List<String> wrong) {
            long missing = missing();
            long extra = extra();
            if (missing > 0 || extra > 0 || outOfOrder > 0) {
                if (firstWrong == null) {
                    firstWrong = "the last parents ended early";
                }
                wrong.add("seed " + round.seed + ": " + missing + " of " + round.total + " records lost, " + extra
                        + " extra, " + outOfOrder + " out of order; first: " + firstWrong);
            }
        }

        /** A prefix of the round's records. */
        void reportOrder(List<String> wrong) {
            if (firstWrong != null) {
                wrong.add("seed " + round.seed + ": " + outOfOrder + " out of order; first: " + firstWrong);
            }
        }

        /** Every record of the parents before {@code failing}, then {@code before} of its own, nothing after. */
        void reportUpTo(int failing, int before, List<String> wrong) {
            List<String> found = new ArrayList<>();
            for (int p = 0; p < got.length; p++) {
                int expected = p < failing ? round.counts[p] : p == failing ? before : 0;
                if (got[p] != expected) {
                    found.add("parent " + p + ": " + got[p] + " of " + expected + " records");
                }
            }
            if (outOfOrder > 0 || !found.isEmpty()) {
                wrong.add("seed " + round.seed + ": " + outOfOrder + " out of order, " + found);
            }
        }
    }
}
