package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.client.WecomApiException.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * When WeCom cannot be reached, the failure says which way: a host that does not resolve, a port nothing listens on, a
 * connection never accepted, a server that never answers. Each names where the call went and never the secret. Real
 * sockets on loopback, and a name under the reserved .invalid domain.
 */
class ConnectionFailureTest extends SimulatorTestSupport {

    /** A producer endpoint like the other tests', but calling {@code baseUrl}. */
    private static String endpoint(String baseUrl, String options) {
        return uri("list", ONE_PAGE_RANGE + "&" + options).replace(simulator.baseUrl(), baseUrl);
    }

    /**
     * The JDK has no rule of its own for .invalid: it asks the system resolver, which fails for it at once with a
     * resolver that answers (NXDOMAIN), and, slower, with one that cannot be reached ("Temporary failure in name
     * resolution"): UnknownHostException either way. Only a resolver that makes up answers resolves it.
     */
    static final String RESOLVES_INVALID = "this machine's resolver answers for the reserved .invalid domain";

    static boolean doesNotResolve(String host) {
        try {
            InetAddress.getByName(host);
            return false;
        } catch (UnknownHostException e) {
            return true;
        }
    }

    @Test
    void aHostThatDoesNotResolveSaysSo() {
        assumeTrue(doesNotResolve("qyapi.invalid"), RESOLVES_INVALID);
        WecomApiException e = failure(endpoint("https://qyapi.invalid", "maxRetries=1"), null);

        assertThat(e.getKind()).isEqualTo(Kind.UNKNOWN_HOST);
        assertThat(e.isUnreachable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("WeCom gettoken failed: host qyapi.invalid does not resolve (check "
                + "baseUrl and this server's DNS) (gave up after 2 attempts)");
    }

    @Test
    void aPortNothingListensOnIsARefusedConnection() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        WecomApiException e = failure(endpoint("http://127.0.0.1:" + closedPort, "maxRetries=1"), null);

        assertThat(e.getKind()).isEqualTo(Kind.CONNECTION_REFUSED);
        assertThat(e.isUnreachable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("WeCom gettoken failed: connection refused by 127.0.0.1:" + closedPort
                + " (gave up after 2 attempts)");
    }

    @Test
    void aConnectionNeverAcceptedIsAConnectTimeout() throws IOException {
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assumeTrue(fillListenQueue(full, queued), "this system refuses connections past a full listen queue");

            WecomApiException e = failure(endpoint("http://127.0.0.1:" + full.getLocalPort(),
                    "maxRetries=1&connectTimeout=200ms"), null);

            assertThat(e.getKind()).isEqualTo(Kind.CONNECT_TIMEOUT);
            assertThat(e.isUnreachable()).isTrue();
            assertThat(e.getMessage()).isEqualTo("WeCom gettoken failed: no connection to 127.0.0.1:"
                    + full.getLocalPort() + " within 200 ms (connectTimeout) (gave up "
                    + "after 2 attempts)");
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    @Test
    void aServerThatNeverAnswersIsAResponseTimeout() throws IOException {
        // the system accepts the connection into the listen queue; nobody reads the request or answers it
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            WecomApiException e = failure(endpoint("http://127.0.0.1:" + silent.getLocalPort(),
                    "maxRetries=1&responseTimeout=300ms"), null);

            assertThat(e.getKind()).isEqualTo(Kind.RESPONSE_TIMEOUT);
            assertThat(e.isUnreachable()).isTrue();
            assertThat(e.getMessage()).isEqualTo("WeCom gettoken failed: no complete answer from 127.0.0.1:"
                    + silent.getLocalPort() + " within 300 ms (responseTimeout) (gave "
                    + "up after 2 attempts)");
        }
    }

    /**
     * Connects to {@code server}, which never accepts, until its listen queue is full: true when a connection then
     * times out (Linux and BSD drop the handshake), false when it is refused.
     */
    private static boolean fillListenQueue(ServerSocket server, List<Socket> queued) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            queued.add(socket);
            try {
                socket.connect(server.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException e) {
                return true;
            } catch (ConnectException e) {
                return false;
            }
        }
        return false;
    }
}
