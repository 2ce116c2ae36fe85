package io.github.camelwecom.groupmsg.client;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client every endpoint of a component shares: one keep-alive connection pool (per connect timeout), so
 * connections and threads do not grow with the number of endpoints. It is the JDK's client because WeCom carries the
 * access_token and corpsecret in the query string, and this client never writes request lines to application logs,
 * whatever their level. The response timeout covers the whole answer, so a server that stalls mid-body cannot hang a
 * caller, and bodies are capped.
 */
public final class HttpTransport implements Closeable {

    /** A real page of 1000 records is a few hundred KB; anything far larger is not a WeCom answer. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    /** The answer of one request: its HTTP status and body. */
    public record Response(int status, byte[] body) {
    }

    public Response get(String url, Duration connectTimeout, Duration responseTimeout) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), connectTimeout, responseTimeout);
    }

    public Response postJson(String url, byte[] json, Duration connectTimeout, Duration responseTimeout)
            throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)), connectTimeout, responseTimeout);
    }

    private Response send(HttpRequest.Builder request, Duration connectTimeout, Duration responseTimeout)
            throws IOException {
        HttpClient client = clients.computeIfAbsent(connectTimeout, HttpTransport::newClient);
        CompletableFuture<HttpResponse<byte[]>> answer
                = client.sendAsync(request.timeout(responseTimeout).build(), info -> new CappedBody());
        try {
            HttpResponse<byte[]> response = answer.get(responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + responseTimeout);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private static HttpClient newClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
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

    /** Collects a body, giving up once it passes the cap. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

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
                if (bytes.size() + buffer.remaining() > MAX_BODY_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new ResponseTooLargeException());
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
