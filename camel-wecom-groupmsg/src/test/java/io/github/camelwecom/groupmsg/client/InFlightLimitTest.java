package io.github.camelwecom.groupmsg.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class InFlightLimitTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aFreedPermitGoesToTheHighestPriorityThenTheLongestWaiting() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            InFlightLimit limit = new InFlightLimit(1);
            limit.acquire(0);
            List<String> granted = new CopyOnWriteArrayList<>();
            List<Thread> waiters = List.of(
                    waiter(limit, 1, "result-a", granted), waiter(limit, 1, "result-b", granted),
                    waiter(limit, 3, "list", granted), waiter(limit, 2, "task", granted));
            for (Thread t : waiters) {
                t.start();
                awaitParked(t);
            }
            limit.release();
            for (Thread t : waiters) {
                t.join();
            }
            assertThat(granted).containsExactly("list", "task", "result-a", "result-b");
        });
    }

    @Test
    void permitsAreTakenAtOnceWhileAnyIsFree() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            InFlightLimit limit = new InFlightLimit(2);
            limit.acquire(1);
            limit.acquire(1);
            limit.release();
            limit.acquire(0);
        });
    }

    @Test
    void anInterruptedWaiterLeavesWithoutTakingThePermit() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            InFlightLimit limit = new InFlightLimit(1);
            limit.acquire(0);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    limit.acquire(5);
                } catch (InterruptedException e) {
                    failure.set(e);
                }
            });
            waiter.start();
            awaitParked(waiter);
            waiter.interrupt();
            waiter.join();
            assertThat(failure.get()).isInstanceOf(InterruptedException.class);

            limit.release();
            limit.acquire(0); // the permit came back instead of going to the waiter that left
        });
    }

    private static Thread waiter(InFlightLimit limit, int priority, String name, List<String> granted) {
        return new Thread(() -> {
            try {
                limit.acquire(priority);
                granted.add(name);
                limit.release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
    }

    private static void awaitParked(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
    }
}
