package io.github.camelwecom.groupmsg;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.slf4j.Logger;

/**
 * Ends the application for the consumers with {@code shutdownWhenDone}: status 0 once each has read its bounded range
 * to the end, 1 at the first that failed. It stops the CamelContext, which is how Camel Main, KameletMain and Spring
 * Boot's run controller end, and then exits the JVM with the status: Camel Main's exit code is 0 after a stop, and a
 * Spring Boot web application would keep running. Both happen on a thread of its own, never a poll's: stopping waits
 * for the polls, and a non-daemon thread keeps the JVM up until it has exited with the status.
 */
final class ApplicationShutdown implements ExtendedStartupListener {

    static final int DONE = 0;
    static final int FAILED = 1;

    private final CamelContext camel;
    private final Logger log;
    private final Set<String> exporting = new TreeSet<>();
    private final Set<String> done = new TreeSet<>();
    private final AtomicBoolean ending = new AtomicBoolean();
    /** Until the context has started every route, a route that finished early must not end the others. */
    private boolean started;

    ApplicationShutdown(CamelContext camel, Logger log) throws Exception {
        this.camel = camel;
        this.log = log;
        camel.addStartupListener(this);
    }

    /** A consumer with the option started: the application ends with status 0 only once it is done too. */
    synchronized void exporting(String routeId) {
        exporting.add(routeId);
    }

    /** The consumer's bounded range was read to its end; {@code refused} messages or members WeCom refused. */
    void finished(String routeId, int refused) {
        if (refused > 0) {
            failed(routeId, "its range was read to the end but for " + refused
                    + " messages or members WeCom refused (see the WARN lines above)");
            return;
        }
        String routes;
        synchronized (this) {
            done.add(routeId);
            if (!started || !done.containsAll(exporting)) {
                return;
            }
            routes = String.join(", ", exporting);
        }
        end(DONE, "the bounded export of route(s) " + routes + " read its range to the end");
    }

    /** The consumer stopped on a failure that ends the application. */
    void failed(String routeId, String why) {
        end(FAILED, "route " + routeId + " failed: " + why);
    }

    private void end(int status, String why) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        String line = "shutdownWhenDone: " + why + "; stopping Camel, then exiting with status " + status;
        if (status == DONE) {
            log.info(line);
        } else {
            log.error(line);
        }
        Thread exit = camel.getExecutorServiceManager().newThread("WecomGroupMsgShutdown", () -> {
            try {
                camel.stop();
            } catch (RuntimeException e) {
                log.warn("shutdownWhenDone: stopping Camel failed ({}); exiting with status {}", e, status);
            }
            System.exit(status);
        });
        exit.setDaemon(false);
        exit.start();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (alreadyStarted) {
            onCamelContextFullyStarted(context, true);
        }
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        String any;
        synchronized (this) {
            started = true;
            any = done.isEmpty() ? null : done.iterator().next();
        }
        if (any != null) {
            finished(any, 0);
        }
    }
}
