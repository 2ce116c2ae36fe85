package io.github.camelwecom.groupmsg.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The answers a hostile gateway or a broken WeCom can give: 200s that do not parse, lie about types, or never end. */
class HostileAnswerTest extends SimulatorTestBase {
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    private final String msgid = DATA.groundTruth()
            .messages("single", DATA.startEpochSecond(), DATA.endEpochSecond(), null, 0)
            .findFirst().orElseThrow().get("msgid").asText();

    HostileAnswerTest() {
        super(DATA);
    }

    @BeforeEach
    void noAnswerHold() {
        sim.faults().noAnswerHold(Duration.ofMinutes(5));
    }

    @Test
    void newKindsAreNotWecomErrorsAndComeAfterTheOldOnes() {
        for (Fault f : List.of(Fault.TRUNCATED_JSON, Fault.WRONG_TYPES, Fault.MISSING_FIELDS, Fault.EMPTY_BODY,
                Fault.HTTP_404, Fault.HUGE_BODY, Fault.NO_ANSWER, Fault.STALLED_BODY)) {
            assertThat(f.isWecomError()).isFalse();
            assertThat(f.ordinal()).isGreaterThan(Fault.SLOW.ordinal());
        }
        assertThat(sim.faults().hugeBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(sim.faults().noAnswerHold()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> sim.faults().hugeBodyBytes(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedJsonIsACompleteHttpAnswerWithHalfTheBody() {
        ObjectNode task = SimClient.body().put("msgid", msgid);
        sim.faults().failNext(Api.TASK, Fault.TRUNCATED_JSON, 1);
        HttpResponse<String> cut = client.post(Api.TASK, token, task.toString());
        HttpResponse<String> whole = client.post(Api.TASK, token, task.toString());
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(cut.body()).isNotEmpty().startsWith("{\"errcode\":0");
        assertThat(whole.body()).startsWith(cut.body()).hasSizeGreaterThan(cut.body().length());
        assertThatThrownBy(() -> SimClient.MAPPER.readTree(cut.body())).isInstanceOf(JsonProcessingException.class);
        assertThat(sim.counters().faults(Fault.TRUNCATED_JSON)).isEqualTo(1);
        assertThat(sim.counters().successes(Api.TASK)).isEqualTo(1);
    }

    @Test
    void wrongTypesTakeTurnsObjectStringAndStringErrcode() throws Exception {
        ObjectNode task = SimClient.body().put("msgid", msgid);
        JsonNode normal = client.call(Api.TASK, token, task);
        sim.faults().failNext(Api.TASK, Fault.WRONG_TYPES, 3);

        JsonNode asObject = client.call(Api.TASK, token, task);
        assertThat(asObject.get("errcode").isInt()).isTrue();
        assertThat(asObject.get("task_list").isObject()).isTrue();
        assertThat(asObject.get("task_list").get("0")).isEqualTo(normal.get("task_list").get(0));
        assertThat(asObject.get("task_list").size()).isEqualTo(normal.get("task_list").size());

        JsonNode asString = client.call(Api.TASK, token, task);
        assertThat(asString.get("task_list").isTextual()).isTrue();
        assertThat(SimClient.MAPPER.readTree(asString.get("task_list").asText())).isEqualTo(normal.get("task_list"));

        JsonNode textErrcode = client.call(Api.TASK, token, task);
        assertThat(textErrcode.get("errcode").isTextual()).isTrue();
        assertThat(textErrcode.get("errcode").asText()).isEqualTo("0");
        assertThat(textErrcode.get("task_list")).isEqualTo(normal.get("task_list"));
        assertThat(client.call(Api.TASK, token, task)).isEqualTo(normal);

        sim.faults().clear();
        sim.faults().failNext(Api.GETTOKEN, Fault.WRONG_TYPES, 2);
        JsonNode tokenObject = client.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET);
        assertThat(tokenObject.get("access_token").isObject()).isTrue();
        assertThat(client.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET)
                .get("access_token").isNumber())
                .isTrue();
        // an error answer has no records field: its errcode becomes a string
        sim.faults().failNext(Api.TASK, Fault.WRONG_TYPES, 1);
        JsonNode error = client.call(Api.TASK, "bogus-token", task);
        assertThat(error.get("errcode").isTextual()).isTrue();
        assertThat(error.get("errcode").asText()).isEqualTo("40014");
    }

    @Test
    void missingFieldsIsSuccessWithoutRecordsOrCursor() {
        sim.faults().failNext(Api.RESULT, Fault.MISSING_FIELDS, 1).failNext(Api.GETTOKEN, Fault.MISSING_FIELDS, 1);
        JsonNode result = client.call(Api.RESULT, token, SimClient.body().put("msgid", msgid).put("userid", "x"));
        assertThat(result).isEqualTo(SimClient.body().put("errcode", 0).put("errmsg", "ok"));
        JsonNode gettoken = client.getToken(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET);
        assertThat(gettoken).isEqualTo(SimClient.body().put("errcode", 0).put("errmsg", "ok"));
    }

    @Test
    void emptyBodyAnd404() {
        sim.faults().failNext(Api.LIST, Fault.EMPTY_BODY, 1).failNext(Api.LIST, Fault.HTTP_404, 1);
        String list = SimClient
                .listBody("single", DATA.startEpochSecond(), DATA.startEpochSecond() + 86400, null, 2, 10).toString();
        HttpResponse<String> empty = client.post(Api.LIST, token, list);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
        assertThat(empty.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        HttpResponse<String> notFound = client.post(Api.LIST, token, list);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(notFound.body()).contains("404 Not Found");
        assertThat(client.post(Api.LIST, token, list).statusCode()).isEqualTo(200);
        assertThat(sim.counters().faults(Fault.EMPTY_BODY)).isEqualTo(1);
        assertThat(sim.counters().faults(Fault.HTTP_404)).isEqualTo(1);
    }

    @Test
    void hugeBodyIsValidJsonOfTenMegabytesStreamedInChunks() throws Exception {
        sim.faults().failNext(Api.TASK, Fault.HUGE_BODY, 1);
        HttpResponse<String> huge = client.post(Api.TASK, token, SimClient.body().put("msgid", msgid).toString());
        assertThat(huge.statusCode()).isEqualTo(200);
        assertThat(huge.headers().firstValue("Content-Length")).isEmpty();
        assertThat(huge.body().length()).isBetween(10 * 1024 * 1024 - 64, 10 * 1024 * 1024 + 64);
        JsonNode json = SimClient.MAPPER.readTree(huge.body());
        assertThat(json.get("errcode").asInt()).isEqualTo(-1);
        assertThat(json.get("errmsg").asText()).startsWith("system busy ").hasSizeGreaterThan(10_000_000);

        sim.faults().hugeBodyBytes(1000).failNext(Api.TASK, Fault.HUGE_BODY, 1);
        HttpResponse<String> smaller = client.post(Api.TASK, token, SimClient.body().put("msgid", msgid).toString());
        assertThat(smaller.body()).hasSize(1000);
        assertThat(SimClient.MAPPER.readTree(smaller.body()).get("errcode").asInt()).isEqualTo(-1);
        sim.faults().hugeBodyBytes(10L * 1024 * 1024);
    }

    @Test
    void noAnswerLastsUntilTheClientGivesUpAndFreesNoThread() throws Exception {
        String list = SimClient
                .listBody("single", DATA.startEpochSecond(), DATA.startEpochSecond() + 86400, null, 2, 10).toString();
        sim.faults().failNext(Api.LIST, Fault.NO_ANSWER, 1);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> send(Api.LIST, list, Duration.ofMillis(400))).isInstanceOf(HttpTimeoutException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(400);
        assertThat(sim.heldRequests()).isEqualTo(1);
        assertThat(sim.counters().currentConcurrent()).isZero();
        assertThat(send(Api.LIST, list, Duration.ofSeconds(5)).statusCode()).isEqualTo(200);

        // more held requests than worker threads: the others are still served
        try (WecomSimulator one = WecomSimulator.builder().dataSet(DATA).threads(1).build().start()) {
            SimClient c = new SimClient(one);
            String t = c.token();
            one.faults().failNext(Api.TASK, Fault.NO_ANSWER, 3);
            String body = SimClient.body().put("msgid", msgid).toString();
            for (int i = 0; i < 3; i++) {
                c.http.sendAsync(request(one, Api.TASK, t, body, Duration.ofSeconds(30)),
                        HttpResponse.BodyHandlers.ofString());
            }
            awaitHeld(one, 3);
            assertThat(c.call(Api.TASK, t, SimClient.body().put("msgid", msgid)).get("errcode").asInt()).isZero();
        }
    }

    /** Unanswered, or answered in part: either way the connection is dropped once the hold ends. */
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "NO_ANSWER", "STALLED_BODY" })
    void aHeldRequestIsDroppedWhenItsHoldEnds(Fault fault) {
        sim.faults().noAnswerHold(Duration.ofMillis(300)).failNext(Api.TASK, fault, 1);
        long t0 = System.nanoTime();
        assertThatThrownBy(
                () -> send(Api.TASK, SimClient.body().put("msgid", msgid).toString(), Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).isBetween(250L, 5_000L);
        assertThat(sim.heldRequests()).isZero();
    }

    @Test
    void closeEndsHeldRequestsAtOnce() throws Exception {
        WecomSimulator s = WecomSimulator.builder().dataSet(DATA).build().start();
        SimClient c = new SimClient(s);
        String t = c.token();
        s.faults().probability(Fault.NO_ANSWER, 1.0);
        CompletableFuture<HttpResponse<String>> pending = c.http.sendAsync(
                HttpRequest.newBuilder(URI.create(s.baseUrl() + Api.TASK.path() + "?access_token=" + t))
                        .POST(HttpRequest.BodyPublishers.ofString(SimClient.body().put("msgid", msgid).toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        awaitHeld(s, 1);
        long t0 = System.nanoTime();
        s.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("close() in ms").isLessThan(3_000);
        assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(s.counters().faults(Fault.NO_ANSWER)).isEqualTo(1);
    }

    @Test
    void stalledBodyPromisesTheWholeAnswerSendsHalfAndHoldsTheRestWithoutAThread() throws Exception {
        String task = SimClient.body().put("msgid", msgid).toString();
        // its own simulator: the stalled answer stays held (5 min) until close(), which the shared one must not see
        try (WecomSimulator own = WecomSimulator.builder().dataSet(DATA).build().start()) {
            SimClient c = new SimClient(own);
            String t = c.token();
            byte[] whole = c.http.send(request(own, Api.TASK, t, task, Duration.ofSeconds(5)),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            own.faults().failNext(Api.TASK, Fault.STALLED_BODY, 1);

            HttpResponse<InputStream> stalled = c.http.send(request(own, Api.TASK, t, task, Duration.ofSeconds(5)),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stalled.statusCode()).isEqualTo(200);
            assertThat(stalled.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(stalled.headers().firstValueAsLong("Content-Length")).hasValue(whole.length);
            InputStream in = stalled.body();
            assertThat(in.readNBytes(whole.length / 2)).isEqualTo(Arrays.copyOf(whole, whole.length / 2));
            ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "stalled-body-reader");
                thread.setDaemon(true); // blocked until close() drops the held connection
                return thread;
            });
            Future<Integer> more = reader.submit(() -> in.read());
            reader.shutdown();
            assertThatThrownBy(() -> more.get(500, TimeUnit.MILLISECONDS)).as("a byte past the first half")
                    .isInstanceOf(TimeoutException.class);
            assertThat(own.heldRequests()).isEqualTo(1);
            assertThat(own.counters().currentConcurrent()).isZero();
            assertThat(own.counters().faults(Fault.STALLED_BODY)).isEqualTo(1);
            assertThat(c.http.send(request(own, Api.TASK, t, task, Duration.ofSeconds(5)),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(whole);

            own.close();
            assertThatThrownBy(() -> more.get(5, TimeUnit.SECONDS)).as("the read once the simulator closes")
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
        }

        // more stalled answers than worker threads: the others are still served, and close() ends the stalled ones
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        try (WecomSimulator one = WecomSimulator.builder().dataSet(DATA).threads(1).build().start()) {
            SimClient c = new SimClient(one);
            String t = c.token();
            one.faults().failNext(Api.TASK, Fault.STALLED_BODY, 3);
            for (int i = 0; i < 3; i++) {
                pending.add(c.http.sendAsync(request(one, Api.TASK, t, task, Duration.ofSeconds(30)),
                        HttpResponse.BodyHandlers.ofString()));
            }
            awaitHeld(one, 3);
            assertThat(c.call(Api.TASK, t, SimClient.body().put("msgid", msgid)).get("errcode").asInt()).isZero();
            assertThat(pending).noneMatch(CompletableFuture::isDone);
        }
        for (CompletableFuture<HttpResponse<String>> p : pending) {
            assertThatThrownBy(() -> p.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void newKindsWorkByChanceAndForGettokenToo() {
        sim.faults().probability(Fault.EMPTY_BODY, 1.0);
        String list = SimClient
                .listBody("single", DATA.startEpochSecond(), DATA.startEpochSecond() + 86400, null, 2, 10).toString();
        for (int i = 0; i < 3; i++) {
            assertThat(client.post(Api.LIST, token, list).body()).isEmpty();
        }
        assertThat(client.token()).isEqualTo(token);
        sim.faults().clear();
        sim.faults().probability(Api.GETTOKEN, Fault.HTTP_404, 1.0);
        assertThatThrownBy(client::token).hasMessageContaining("HTTP 404");
        assertThat(sim.counters().faults(Fault.EMPTY_BODY)).isEqualTo(3);
        assertThat(sim.counters().faults(Fault.HTTP_404)).isEqualTo(1);
    }

    private HttpResponse<String> send(Api api, String body, Duration timeout) throws IOException, InterruptedException {
        return client.http.send(request(sim, api, token, body, timeout), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(WecomSimulator target, Api api, String t, String body, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(target.baseUrl() + api.path() + "?access_token=" + t)).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void awaitHeld(WecomSimulator target, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (target.heldRequests() < n) {
            assertThat(System.nanoTime()).as("held requests reach %d", n).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
