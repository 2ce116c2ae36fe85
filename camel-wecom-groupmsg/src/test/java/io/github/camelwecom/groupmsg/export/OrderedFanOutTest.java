package io.github.camelwecom.groupmsg.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    private static List<Integer> expected(int parents) {
        return IntStream.range(0, parents).boxed().flatMap(p -> drain(children(p)).stream()).toList();
    }

    @ParameterizedTest(name = "ahead {0}")
    @ValueSource(ints = { 1, 2, 8 })
    void recordsComeOutInOrderWhateverOrderTheReadsEnd(int ahead) {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            // even parents are slow to start: later parents are read first and wait for room
            OrderedFanOut<Integer, Integer> fanOut = new OrderedFanOut<>(IntStream.range(0, 40).boxed().iterator(),
                    p -> {
                        if (p % 2 == 0) {
                            Thread.yield();
                        }
                        return children(p);
                    }, ahead, 1, pool);
            assertThat(drain(fanOut)).isEqualTo(expected(40));
        });
    }

    @Test
    void aFailedParentSurfacesAfterEveryRecordBeforeIt() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            OrderedFanOut<Integer, Integer> fanOut = new OrderedFanOut<>(IntStream.range(0, 6).boxed().iterator(),
                    p -> {
                        if (p == 3) {
                            return failingAfter(p, 2);
                        }
                        return children(p);
                    }, 3, 1, pool);
            List<Integer> seen = new ArrayList<>();
            assertThatThrownBy(() -> fanOut.forEachRemaining(seen::add)).hasMessageContaining("parent 3 failed");
            assertThat(seen).containsExactly(0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31);
            assertThat(fanOut.hasNext()).isFalse();
        });
    }

    @Test
    void aFailureToGetTheNextParentSurfacesAfterTheParentsBeforeIt() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            Iterator<Integer> parents = new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    if (next == 2) {
                        throw new IllegalStateException("listing parents failed");
                    }
                    return true;
                }

                @Override
                public Integer next() {
                    return next++;
                }
            };
            OrderedFanOut<Integer, Integer> fanOut = new OrderedFanOut<>(parents, OrderedFanOutTest::children, 4, 1,
                    pool);
            List<Integer> seen = new ArrayList<>();
            assertThatThrownBy(() -> fanOut.forEachRemaining(seen::add)).hasMessage("listing parents failed");
            assertThat(seen).containsExactly(0, 1, 2, 10, 11, 12);
        });
    }

    @Test
    void closingInterruptsTheReadsThatWaitForRoom() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            CountDownLatch waiting = new CountDownLatch(3);
            OrderedFanOut<Integer, Integer> fanOut = new OrderedFanOut<>(IntStream.range(0, 3).boxed().iterator(),
                    (Integer p) -> new Iterator<Integer>() {
                        private int n;

                        @Override
                        public boolean hasNext() {
                            if (n == 1) {
                                waiting.countDown(); // the first chunk is queued: the second will wait for room
                            }
                            return true;
                        }

                        @Override
                        public Integer next() {
                            return p * 1000 + n++;
                        }
                    }, 3, 1, pool);
            assertThat(fanOut.next()).isZero();
            assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
            fanOut.close();
            assertThat(fanOut.hasNext()).isFalse();
            // every read ended: the pool has no busy thread left and shuts down at once
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        });
    }

    @Test
    void anExecutorThatRefusesWorkFailsAtTheFirstParentItRefused() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            ExecutorService stopped = Executors.newSingleThreadExecutor();
            stopped.shutdown();
            OrderedFanOut<Integer, Integer> fanOut = new OrderedFanOut<>(IntStream.range(0, 3).boxed().iterator(),
                    OrderedFanOutTest::children, 2, 1, stopped);
            assertThatThrownBy(fanOut::hasNext).isInstanceOf(RejectedExecutionException.class);
            assertThat(fanOut.hasNext()).isFalse();
        });
    }

    @Test
    void bufferedRecordsAreHandedOverAChunkAtATimeAndAtMostAheadParentsAreRead() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            AtomicInteger started = new AtomicInteger();
            OrderedFanOut<Integer, Integer> fanOut = new OrderedFanOut<>(IntStream.range(0, 10).boxed().iterator(),
                    p -> {
                        started.incrementAndGet();
                        return new OnePage(children(p));
                    }, 3, 2, pool);
            assertThat(fanOut.next()).isZero();
            await().atMost(TIMEOUT).until(() -> started.get() == 3);
            await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> started.get() == 3);
            assertThat(drain(fanOut)).isEqualTo(expected(10).subList(1, 30));
        });
    }

    private static Iterator<Integer> failingAfter(int parent, int records) {
        return new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                if (n == records) {
                    throw new IllegalStateException("parent " + parent + " failed");
                }
                return true;
            }

            @Override
            public Integer next() {
                return parent * 10 + n++;
            }
        };
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
