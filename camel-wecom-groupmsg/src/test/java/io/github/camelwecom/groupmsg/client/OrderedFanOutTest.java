package io.github.camelwecom.groupmsg.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class OrderedFanOutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** Parent p has three children p*10 .. p*10+2, each its own chunk (a plain iterator buffers nothing). */
    private static Iterator<Integer> children(int parent) {
        return List.of(parent * 10, parent * 10 + 1, parent * 10 + 2).iterator();
    }

    private static List<Integer> drain(Iterator<Integer> it) {
        List<Integer> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = { 1, 2, 4 })
    void prioritizedParentsStillComeOutInOrderAndNothingWaitsForever(int concurrency) {
        List<Integer> parents = IntStream.range(0, 40).boxed().toList();
        List<Integer> expected = parents.stream().flatMap(p -> drain(children(p)).stream()).toList();
        assertTimeoutPreemptively(TIMEOUT, () -> {
            // every fifth parent first: workers read them ahead and wait for room until the caller gets there
            OrderedFanOut<Integer, Integer> fanOut = new OrderedFanOut<>(parents.iterator(),
                    OrderedFanOutTest::children, concurrency, 1, pool, p -> p % 5 == 4 ? 1 : 0);
            assertThat(drain(fanOut)).isEqualTo(expected);
        });
    }

    @Test
    void aWorkerTakesTheHeldParentOfTheHighestPriorityAndTheCallerReadsTheHeadItself() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            List<Runnable> queued = new CopyOnWriteArrayList<>();
            List<Integer> started = new CopyOnWriteArrayList<>();
            CountDownLatch priorityStarted = new CountDownLatch(1);
            Function<Integer, Iterator<Integer>> children = p -> {
                started.add(p);
                if (p == 2) {
                    priorityStarted.countDown();
                }
                return children(p);
            };
            OrderedFanOut<Integer, Integer> fanOut = new OrderedFanOut<>(List.of(0, 1, 2, 3).iterator(), children, 1,
                    1, queued::add, p -> p == 2 ? 1 : 0);

            // the one worker is queued, not running: the caller reads the head (0) itself
            assertThat(fanOut.next()).isZero();
            assertThat(queued).hasSize(1);
            pool.execute(queued.get(0));
            assertThat(priorityStarted.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(drain(fanOut)).containsExactly(1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32);
            assertThat(started).containsExactly(0, 2, 1, 3);
        });
    }

    /**
     * The worker is started only once the caller has taken the head and three parents are held: it reads them one
     * after another (each parent's records are one page, so it never waits for room) in the order they were held.
     */
    @Test
    void withoutPrioritiesParentsAreReadInOrder() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            List<Runnable> queued = new CopyOnWriteArrayList<>();
            List<Integer> started = new CopyOnWriteArrayList<>();
            OrderedFanOut<Integer, Integer> fanOut = new OrderedFanOut<>(IntStream.range(0, 4).boxed().iterator(),
                    p -> {
                        started.add(p);
                        return new OnePage(children(p));
                    }, 1, 3, queued::add);

            assertThat(fanOut.next()).isZero();
            assertThat(started).containsExactly(0);
            pool.execute(queued.get(0));
            await().atMost(TIMEOUT).until(() -> started.size() == 4);

            assertThat(started).containsExactly(0, 1, 2, 3);
            assertThat(drain(fanOut)).containsExactly(1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32);
        });
    }

    /** Records that are all in memory, as a fetched page's are. */
    private record OnePage(Iterator<Integer> records) implements Iterator<Integer>, Buffered {
        @Override
        public boolean hasNext() {
            return records.hasNext();
        }

        @Override
        public Integer next() {
            return records.next();
        }

        @Override
        public boolean hasBuffered() {
            return records.hasNext();
        }
    }
}
