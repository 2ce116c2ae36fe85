package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;

/**
 * Requests that get no answer (the NO_ANSWER fault). Their exchanges stay open without a worker thread; a timer closes
 * each, unanswered, when its hold ends, and {@link #closeAll()} closes the rest when the simulator stops.
 */
final class HeldExchanges {
    private final Set<HttpExchange> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wecom-sim-no-answer");
        t.setDaemon(true);
        return t;
    });

    /** Keeps {@code exchange} open for {@code hold}; the caller must not close it. */
    void hold(HttpExchange exchange, Duration hold) {
        held.add(exchange);
        try {
            timer.schedule(() -> release(exchange), hold.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            release(exchange);
        }
    }

    int size() {
        return held.size();
    }

    void closeAll() {
        timer.shutdownNow();
        for (HttpExchange e : held) {
            release(e);
        }
    }

    private void release(HttpExchange exchange) {
        if (held.remove(exchange)) {
            // closing drops the connection: NO_ANSWER sent nothing, STALLED_BODY less than its Content-Length
            exchange.close();
        }
    }
}
