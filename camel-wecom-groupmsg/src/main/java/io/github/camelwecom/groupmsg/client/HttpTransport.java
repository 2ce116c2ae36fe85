package io.github.camelwecom.groupmsg.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * One pooled keep-alive HTTP client shared by every endpoint of a component, so connections and threads do not grow
 * with the number of endpoints. Timeouts are set per request since endpoints may differ.
 */
public final class HttpTransport implements Closeable {

    /** A real page of 1000 records is a few hundred KB; anything far larger is not a WeCom answer. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient http;

    public HttpTransport(int maxConnections) {
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setUserAgent("camel-wecom-groupmsg")
                .build();
    }

    /** The answer of one request: its HTTP status and body. */
    public record Response(int status, byte[] body) {
    }

    public Response get(String url, Duration connectTimeout, Duration responseTimeout) throws IOException {
        return execute(new HttpGet(url), connectTimeout, responseTimeout);
    }

    public Response postJson(String url, byte[] json, Duration connectTimeout, Duration responseTimeout)
            throws IOException {
        HttpPost post = new HttpPost(url);
        post.setEntity(new ByteArrayEntity(json, ContentType.APPLICATION_JSON));
        return execute(post, connectTimeout, responseTimeout);
    }

    @SuppressWarnings("deprecation") // per-request connect timeout: the pool is shared by endpoints with other values
    private Response execute(HttpUriRequestBase request, Duration connectTimeout, Duration responseTimeout)
            throws IOException {
        request.setConfig(RequestConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setConnectionRequestTimeout(Timeout.of(responseTimeout))
                .setResponseTimeout(Timeout.of(responseTimeout))
                .build());
        return http.execute(request, response -> new Response(response.getCode(), readBody(response.getEntity())));
    }

    private static byte[] readBody(HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity.getContentLength() > MAX_BODY_BYTES) {
            throw new ResponseTooLargeException(entity.getContentLength());
        }
        try (InputStream in = entity.getContent()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new ResponseTooLargeException(body.length);
            }
            return body;
        }
    }

    /** Connections leased or idle in the pool, for monitoring. */
    public int connectionsInPool() {
        var stats = pool.getTotalStats();
        return stats.getLeased() + stats.getAvailable();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** A body over {@link #MAX_BODY_BYTES}: reading on would only exhaust memory. */
    static final class ResponseTooLargeException extends IOException {
        ResponseTooLargeException(long size) {
            super("response body larger than " + MAX_BODY_BYTES + " bytes (" + size + ")");
        }
    }
}
