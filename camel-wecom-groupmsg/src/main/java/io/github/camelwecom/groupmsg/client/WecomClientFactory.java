package io.github.camelwecom.groupmsg.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Creates clients that share one HTTP connection pool and one access_token per corpId and secret, so that any number of
 * endpoints for the same corp fetch a token once per lifetime.
 */
public final class WecomClientFactory implements Closeable {

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Map<String, CorpSecretTokenProvider> tokenProviders = new ConcurrentHashMap<>();
    private final CallBudget callBudget;

    /**
     * A factory whose clients share a call budget of WeCom's default limits on the system clock: WeCom counts calls in
     * real minutes, whatever clock (a test's, standing still) the export reads.
     */
    public WecomClientFactory(Clock clock) {
        this(clock, new CallBudget(CallBudget.Limits.DEFAULT, Clock.systemUTC()));
    }

    /** @param callBudget what every client waits for; null: none (calls go out as fast as they come) */
    public WecomClientFactory(Clock clock, CallBudget callBudget) {
        this.transport = new HttpTransport();
        this.mapper = newObjectMapper();
        this.clock = clock;
        this.callBudget = callBudget;
    }

    /**
     * The budget every client of this factory waits for: its limits, replicas, pause listener and statistics; null when
     * there is none.
     */
    public CallBudget callBudget() {
        return callBudget;
    }

    /** The Jackson set-up the client reads WeCom answers with: unknown fields are kept by the models, not refused. */
    public static ObjectMapper newObjectMapper() {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public WecomClient create(ClientSettings settings, WecomClient.ClientListener listener) {
        AccessTokenProvider supplied = settings.credentials().tokenProvider();
        return new WecomClient(transport, mapper, settings, supplied != null ? supplied : tokenProvider(settings),
                listener, callBudget);
    }

    /**
     * How many gettoken calls answered with a new token for the corp and secret of {@code settings}, counted across
     * every client that shares them; always 0 when a token provider of the user's supplies the tokens.
     */
    public LongSupplier tokenFetches(ClientSettings settings) {
        if (settings.credentials().tokenProvider() != null) {
            return () -> 0;
        }
        return tokenProvider(settings)::tokenFetches;
    }

    /** The shared corpId/corpSecret token provider of these settings. */
    CorpSecretTokenProvider tokenProvider(ClientSettings settings) {
        ClientSettings.Credentials credentials = settings.credentials();
        String key = settings.baseUrl() + '\n' + credentials.corpId() + '\n' + sha256(credentials.corpSecret());
        return tokenProviders.computeIfAbsent(key, k -> new CorpSecretTokenProvider(transport, mapper, settings,
                clock));
    }

    @Override
    public void close() throws IOException {
        tokenProviders.clear();
        transport.close();
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
