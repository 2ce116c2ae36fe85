package io.github.camelwecom.groupmsg.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A minimal WeCom client over real HTTP, as the tests' stand-in for the Camel component. */
final class SimClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String baseUrl;

    SimClient(WecomSimulator sim) {
        this(sim.baseUrl());
    }

    /** A client whose base URL may have a path, e.g. {@code http://127.0.0.1:PORT/replica-1}. */
    SimClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    JsonNode getToken(String corpId, String secret) {
        StringBuilder url = new StringBuilder(baseUrl).append(Api.GETTOKEN.path()).append('?');
        if (corpId != null) {
            url.append("corpid=").append(enc(corpId)).append('&');
        }
        if (secret != null) {
            url.append("corpsecret=").append(enc(secret));
        }
        return json(send(HttpRequest.newBuilder(URI.create(url.toString())).GET()));
    }

    String token() {
        JsonNode n = getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET);
        if (n.path("errcode").asInt(-99) != 0) {
            throw new IllegalStateException("gettoken failed: " + n);
        }
        return n.get("access_token").asText();
    }

    HttpResponse<String> post(Api api, String token, String body) {
        String url = baseUrl + api.path() + (token == null ? "" : "?access_token=" + enc(token));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    JsonNode call(Api api, String token, ObjectNode body) {
        return json(post(api, token, body.toString()));
    }

    /** A POST to a third-party app's token API: get_suite_token (suiteToken null) or get_corp_token. */
    JsonNode service(Api api, String suiteToken, ObjectNode body) {
        String url = baseUrl + api.path() + (suiteToken == null ? "" : "?suite_access_token=" + enc(suiteToken));
        return json(send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))));
    }

    static ObjectNode body() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode listBody(String chatType, long start, long end, String creator, int filterType, int limit) {
        ObjectNode b = body().put("chat_type", chatType).put("start_time", start).put("end_time", end)
                .put("filter_type", filterType).put("limit", limit);
        if (creator != null) {
            b.put("creator", creator);
        }
        return b;
    }

    /** Pages through one API call until next_cursor is empty, collecting the records of {@code listField}. */
    List<ObjectNode> pageAll(Api api, String token, ObjectNode firstBody, String listField) {
        List<ObjectNode> all = new ArrayList<>();
        ObjectNode b = firstBody.deepCopy();
        for (int page = 0; page < 100_000; page++) {
            JsonNode answer = call(api, token, b);
            if (answer.path("errcode").asInt(-99) != 0) {
                throw new IllegalStateException(api + " failed: " + answer);
            }
            answer.get(listField).forEach(n -> all.add((ObjectNode) n));
            String next = answer.get("next_cursor").asText();
            if (next.isEmpty()) {
                return all;
            }
            b.put("cursor", next);
        }
        throw new IllegalStateException("paging did not end");
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
