package io.github.camelwecom.groupmsg.client;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.client.WecomApiException.Kind;

/**
 * The HTTP client every endpoint of a component shares: one keep-alive connection pool (per connect timeout), so
 * connections and threads do not grow with the number of endpoints. It is the JDK's client because WeCom carries the
 * access_token and corpsecret in the query string, and this client never writes request lines to application logs,
 * whatever their level. The response timeout covers the whole answer, so a server that stalls mid-body cannot hang a
 * caller, and bodies are capped.
 */
final class HttpTransport implements Closeable {

    /** A real page of 1000 records is a few hundred KB; anything far larger is not a WeCom answer. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    /** The answer of one request: its HTTP status and body. */
    record Response(int status, byte[] body) {
    }

    Response get(String url, ClientSettings.Timeouts timeouts) throws Failed {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), timeouts.connect(), timeouts.response());
    }

    /** Posts {@code json}, written as JSON text (which a tree cannot fail at). */
    Response postJson(String url, JsonNode json, ClientSettings.Timeouts timeouts) throws Failed {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.toString(), StandardCharsets.UTF_8)),
                timeouts.connect(), timeouts.response());
    }

    /**
     * Sends with the blocking {@code send}: {@code sendAsync} hands each completion to the common pool, and where that
     * pool has one thread (machines with one or two processors) the JDK starts a new thread for every completion. The
     * request timeout ends the wait for the headers, the body's own deadline the wait for the rest.
     */
    private Response send(HttpRequest.Builder builder, Duration connectTimeout, Duration responseTimeout)
            throws Failed {
        HttpClient client = clients.computeIfAbsent(connectTimeout, HttpTransport::newClient);
        HttpRequest request = builder.timeout(responseTimeout).build();
        long deadline = System.nanoTime() + responseTimeout.toNanos();
        try {
            HttpResponse<byte[]> response = client.send(request,
                    info -> new CappedBody(deadline, info.headers().firstValueAsLong("Content-Length").orElse(-1)));
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed(Kind.INTERRUPTED, "interrupted");
        } catch (IOException e) {
            throw Failed.of(e, request.uri(), connectTimeout, responseTimeout);
        }
    }

    /**
     * The client's selector thread also delivers each answer (a direct executor) instead of handing every answer's
     * bytes and completion to another thread: delivery only copies bytes, parsing happens on the caller's thread.
     */
    private static HttpClient newClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public void close() {
        clients.clear();
    }

    /** A body over {@link #MAX_BODY_BYTES}: reading on would only exhaust memory. */
    static final class ResponseTooLargeException extends IOException {
        ResponseTooLargeException() {
            super("response body larger than " + MAX_BODY_BYTES + " bytes");
        }
    }

    /**
     * A request that got no answer, with which {@link Kind} of failure it was and a message that says where it went
     * (host and port) and never the URL's query, which holds the secret or the access_token.
     */
    static final class Failed extends IOException {
        private final Kind kind;

        Failed(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }

        /**
         * What the JDK client's exception means. It wraps most connect failures in a ConnectException: an unresolved
         * host has an UnresolvedAddressException below it, a refused connection a ClosedChannelException (JDK 17) or a
         * ConnectException saying "refused".
         */
        static Failed of(IOException e, URI uri, Duration connectTimeout, Duration responseTimeout) {
            String at = uri.getHost() + ":" + port(uri);
            if (e instanceof HttpConnectTimeoutException) {
                return new Failed(Kind.CONNECT_TIMEOUT, "no connection to " + at + " within "
                        + readable(connectTimeout) + " (connectTimeout)");
            }
            if (e instanceof HttpTimeoutException || e.getCause() instanceof TimeoutException) {
                return new Failed(Kind.RESPONSE_TIMEOUT, "no complete answer from " + at + " within "
                        + readable(responseTimeout) + " (responseTimeout)");
            }
            ResponseTooLargeException tooLarge = find(e, ResponseTooLargeException.class);
            if (tooLarge != null) {
                return new Failed(Kind.BAD_ANSWER, tooLarge.getMessage());
            }
            if (find(e, UnresolvedAddressException.class) != null || find(e, UnknownHostException.class) != null) {
                return new Failed(Kind.UNKNOWN_HOST, "host " + uri.getHost() + " does not resolve (check baseUrl "
                        + "and this server's DNS)");
            }
            if (e instanceof ConnectException && (find(e, ClosedChannelException.class) != null || saysRefused(e))) {
                return new Failed(Kind.CONNECTION_REFUSED, "connection refused by " + at);
            }
            return new Failed(Kind.NETWORK, "network failure with " + at + ": " + describe(e));
        }

        private static int port(URI uri) {
            return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }

        private static String readable(Duration timeout) {
            long millis = timeout.toMillis();
            return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
        }

        /** {@code e} or the first of its causes that is a {@code type}, or null. */
        private static <T extends Throwable> T find(Throwable e, Class<T> type) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (type.isInstance(t)) {
                    return type.cast(t);
                }
            }
            return null;
        }

        private static boolean saysRefused(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof ConnectException && String.valueOf(t.getMessage()).contains("refused")) {
                    return true;
                }
            }
            return false;
        }

        /** The exception's class and text, without the URL's query. */
        private static String describe(IOException e) {
            String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return what.replaceAll("\\?[^\\s\\]]*", "?…");
        }
    }

    /**
     * Collects a body, giving up once it passes the cap or the deadline. The client's selector thread runs this for
     * every answer, so it copies each byte once, into an array sized by Content-Length when the server sends it.
     */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private byte[] bytes;
        private int size;
        private volatile Flow.Subscription subscription;

        CappedBody(long deadline, long contentLength) {
            bytes = new byte[(int) (contentLength > 0 ? Math.min(contentLength, MAX_BODY_BYTES) : 8192)];
            result.orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .whenComplete((body, failure) -> {
                        Flow.Subscription s = subscription;
                        if (failure != null && s != null) {
                            s.cancel();
                        }
                    });
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int n = buffer.remaining();
                if (size + n > MAX_BODY_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new ResponseTooLargeException());
                    return;
                }
                if (size + n > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.min(MAX_BODY_BYTES, Math.max(size + n, 2 * bytes.length)));
                }
                buffer.get(bytes, size, n);
                size += n;
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
        }
    }
}
