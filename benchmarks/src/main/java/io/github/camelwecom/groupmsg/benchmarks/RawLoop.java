package io.github.camelwecom.groupmsg.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;

/**
 * The baseline a developer would write without the component: JDK HttpClient + Jackson paging list (100) → task (1000)
 * → send_result (1000) over 30-day windows, the result sequences of one message fanned out over {@code concurrency}
 * threads (1 = plain sequential loop). Parses every page into records like the component does.
 */
final class RawLoop implements AutoCloseable {
    private static final long WINDOW = 30L * 24 * 3600;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final int concurrency;
    private final ExecutorService pool;
    private final AtomicLong calls = new AtomicLong();
    /** When not null, every POST (path, body) is recorded for {@link #replay}. */
    private ConcurrentLinkedQueue<String[]> recorded;
    private String token;

    RawLoop(String baseUrl, int concurrency) {
        this.baseUrl = baseUrl;
        this.concurrency = concurrency;
        this.pool = concurrency > 1 ? Executors.newFixedThreadPool(concurrency) : null;
    }

    void record() {
        recorded = new ConcurrentLinkedQueue<>();
    }

    List<String[]> recorded() {
        return new ArrayList<>(recorded);
    }

    long calls() {
        return calls.get();
    }

    /** Exports every single-chat send result in [start, end]; returns the number of records parsed. */
    long export(long start, long end) throws Exception {
        JsonNode tok = get("/cgi-bin/gettoken?corpid=" + WecomSimulator.DEFAULT_CORP_ID + "&corpsecret="
                + WecomSimulator.DEFAULT_CORP_SECRET);
        token = tok.path("access_token").asText();
        long records = 0;
        for (long ws = start; ws <= end; ws += WINDOW) {
            long we = Math.min(end, ws + WINDOW - 1);
            String cursor = "";
            do {
                ObjectNode q = mapper.createObjectNode().put("chat_type", "single").put("start_time", ws)
                        .put("end_time", we).put("filter_type", 2).put("limit", 100).put("cursor", cursor);
                JsonNode page = post("/cgi-bin/externalcontact/get_groupmsg_list_v2", q);
                for (JsonNode msg : page.path("group_msg_list")) {
                    records += exportMessage(msg.path("msgid").asText());
                }
                cursor = page.path("next_cursor").asText("");
            } while (!cursor.isEmpty());
        }
        return records;
    }

    private long exportMessage(String msgid) throws Exception {
        List<String> userids = new ArrayList<>();
        String cursor = "";
        do {
            ObjectNode q = mapper.createObjectNode().put("msgid", msgid).put("limit", 1000).put("cursor", cursor);
            JsonNode page = post("/cgi-bin/externalcontact/get_groupmsg_task", q);
            for (JsonNode t : page.path("task_list")) {
                userids.add(t.path("userid").asText());
            }
            cursor = page.path("next_cursor").asText("");
        } while (!cursor.isEmpty());
        if (pool == null) {
            long n = 0;
            for (String u : userids) {
                n += exportResults(msgid, u);
            }
            return n;
        }
        List<Future<Long>> futures = new ArrayList<>();
        for (String u : userids) {
            futures.add(pool.submit(() -> exportResults(msgid, u)));
        }
        long n = 0;
        for (Future<Long> f : futures) {
            n += f.get();
        }
        return n;
    }

    private long exportResults(String msgid, String userid) throws IOException, InterruptedException {
        long n = 0;
        String cursor = "";
        do {
            ObjectNode q = mapper.createObjectNode().put("msgid", msgid).put("userid", userid).put("limit", 1000)
                    .put("cursor", cursor);
            JsonNode page = post("/cgi-bin/externalcontact/get_groupmsg_send_result", q);
            for (JsonNode r : page.path("send_list")) {
                ObjectNode rec = mapper.createObjectNode().put("msgid", msgid);
                rec.setAll((ObjectNode) r);
                n++;
            }
            cursor = page.path("next_cursor").asText("");
        } while (!cursor.isEmpty());
        return n;
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        calls.incrementAndGet();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return mapper.readTree(r.body());
    }

    private JsonNode post(String path, ObjectNode body) throws IOException, InterruptedException {
        calls.incrementAndGet();
        String json = mapper.writeValueAsString(body);
        if (recorded != null) {
            recorded.add(new String[] { path, json });
        }
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path + "?access_token=" + token))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode node = mapper.readTree(r.body());
        if (node.path("errcode").asInt() != 0) {
            throw new IOException(path + " answered " + node);
        }
        return node;
    }

    /**
     * The simulator alone: replays recorded requests over {@code threads} threads, discarding the bytes unparsed.
     * Returns nanoseconds taken. Cursors are bound to their query only, so replaying them is valid.
     */
    long replay(List<String[]> requests, int threads) throws Exception {
        JsonNode tok = get("/cgi-bin/gettoken?corpid=" + WecomSimulator.DEFAULT_CORP_ID + "&corpsecret="
                + WecomSimulator.DEFAULT_CORP_SECRET);
        String t = tok.path("access_token").asText();
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            AtomicLong next = new AtomicLong();
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(ex.submit(() -> {
                    for (long k; (k = next.getAndIncrement()) < requests.size();) {
                        String[] req = requests.get((int) k);
                        http.send(HttpRequest.newBuilder(URI.create(baseUrl + req[0] + "?access_token=" + t))
                                .POST(HttpRequest.BodyPublishers.ofString(req[1])).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            return System.nanoTime() - t0;
        } finally {
            ex.shutdown();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
