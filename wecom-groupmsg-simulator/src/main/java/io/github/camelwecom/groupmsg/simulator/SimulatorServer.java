package io.github.camelwecom.groupmsg.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/** The JDK HTTP server under a running simulator: the bound socket, its worker threads and the exchanges held open. */
final class SimulatorServer {

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle plus delayed ACKs
        // can add ~40 ms to small keep-alive answers. Read once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final HeldExchanges held;

    private SimulatorServer(HttpServer server, ExecutorService executor, HeldExchanges held) {
        this.server = server;
        this.executor = executor;
        this.held = held;
    }

    /** Binds {@code host:port} and serves every path with the handler made for the held exchanges. */
    static SimulatorServer start(String host, int port, int threads, Function<HeldExchanges, HttpHandler> handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + host + ":" + port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads, new NamedDaemonThreads());
        server.setExecutor(executor);
        HeldExchanges held = new HeldExchanges();
        server.createContext("/", handler.apply(held));
        startDispatcherAsDaemon(server);
        return new SimulatorServer(server, executor, held);
    }

    /**
     * The JDK's dispatcher thread takes its daemon flag from the thread that starts the server: started from a daemon
     * thread, a simulator embedded in an application never keeps its JVM alive after the application failed.
     */
    private static void startDispatcherAsDaemon(HttpServer server) {
        Thread starter = new Thread(server::start, "wecom-simulator-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the simulator", e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    int heldRequests() {
        return held.size();
    }

    /** Stops at once, cutting off requests in flight and held ones. */
    void close() {
        held.closeAll();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class NamedDaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "wecom-sim-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
