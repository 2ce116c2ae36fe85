package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy a test controls, to cut one client off a server (ZooKeeper) while everything else goes on: bytes
 * are forwarded between {@link #port()} and the target port until {@link #cut()} closes every connection and makes the
 * proxy close each new one at once (as a network that drops the client would), and {@link #restore()} lets connections
 * through again.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = new HashSet<>();
    private final AtomicInteger threads = new AtomicInteger();
    /** Guarded by {@link #open}: checked and changed together with the open connections. */
    private boolean cut;
    private int refused;

    TcpProxy(int targetPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.target = new InetSocketAddress(loopback, targetPort);
        this.server = new ServerSocket(0, 50, loopback);
        daemon(this::accept, "tcp-proxy-accept").start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Closes every connection and, until {@link #restore()}, each new one as soon as it is accepted. */
    void cut() {
        synchronized (open) {
            cut = true;
            open.forEach(TcpProxy::closeQuietly);
            open.clear();
        }
    }

    void restore() {
        synchronized (open) {
            cut = false;
        }
    }

    /** Connections closed on arrival while cut. */
    int refused() {
        synchronized (open) {
            return refused;
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        cut();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            synchronized (open) {
                if (cut) {
                    refused++;
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                open.add(client);
                open.add(upstream);
            }
            pipe(client, upstream);
            pipe(upstream, client);
        }
    }

    /** Copies one direction until either side closes, then closes both. */
    private void pipe(Socket from, Socket to) {
        daemon(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut, or one side went away
            } finally {
                synchronized (open) {
                    open.remove(from);
                    open.remove(to);
                }
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-" + threads.incrementAndGet()).start();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is all that is left
        }
    }
}
