package io.github.camelwecom.groupmsg.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.camelwecom.groupmsg.simulator.TokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** WeCom's call limits over real HTTP, windows on a clock the test moves. */
class CallLimitTest {
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small());
    /** 2025-09-10T12:00:00Z, a whole hour. */
    private static final long HOUR = 1_757_505_600L;
    private static final ObjectNode LIST =
            SimClient.listBody("single", DATA.startEpochSecond(), DATA.startEpochSecond() + 86400, null, 2, 1);

    private final MovableClock clock = new MovableClock(HOUR);
    private WecomSimulator sim;
    private SimClient client;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private void start(CallLimits limits) {
        sim = WecomSimulator.builder().dataSet(DATA).credentials("corp-a", "secret-a")
                .credentials("corp-b", "secret-b").callLimits(limits).limitClock(clock).build().start();
        client = new SimClient(sim);
    }

    private String token(String corp) {
        return client.getToken(corp, corp.replace("corp", "secret")).get("access_token").asText();
    }

    private void at(long secondsAfterHour) {
        clock.set(HOUR + secondsAfterHour);
    }

    private int list(String token) {
        return client.call(Api.LIST, token, LIST).get("errcode").asInt();
    }

    private static void assertRefused(JsonNode answer) {
        assertError(answer, 45009, "api freq out of limit");
    }

    @Test
    void aCorpPastItsMinuteLimitIsRefusedUntilTheMinuteEndsAndNoOtherCorpOrApiIs() {
        start(new CallLimits(3, 0, 0, 0));
        String a = token("corp-a");
        String b = token("corp-b");
        at(50);
        for (int i = 0; i < 3; i++) {
            assertThat(list(a)).isZero();
        }
        assertRefused(client.call(Api.LIST, a, LIST));
        at(59);
        assertRefused(client.call(Api.LIST, a, LIST));
        for (int i = 0; i < 3; i++) {
            assertThat(list(b)).as("another corp").isZero();
        }
        String msgid = DATA.groundTruth().messages("single", DATA.startEpochSecond(), DATA.endEpochSecond(), null, 2)
                .findFirst().orElseThrow().get("msgid").asText();
        assertThat(client.call(Api.TASK, a, SimClient.body().put("msgid", msgid)).get("errcode").asInt())
                .as("another API").isZero();
        at(60); // the window is the clock's minute, not 60 s from the first call
        assertThat(list(a)).isZero();

        LimitRefusals refusals = sim.counters().limitRefusals();
        assertThat(refusals.of(Api.LIST, CallLimit.CORP_PER_MINUTE)).isEqualTo(2);
        assertThat(refusals.of(Api.LIST, CallLimit.Scope.CORP)).isEqualTo(2);
        assertThat(refusals.of(Api.LIST, CallLimit.Scope.IP)).isZero();
        assertThat(refusals.ofCorp("corp-a")).isEqualTo(2);
        assertThat(refusals.ofCorp("corp-b")).isZero();
        assertThat(refusals.total()).isEqualTo(2);
        assertThat(sim.counters().calls(Api.LIST)).as("refused calls are calls").isEqualTo(9);
        assertThat(sim.counters().successes(Api.LIST)).isEqualTo(7);
        assertThat(sim.counters().faults(Fault.FREQ_LIMIT)).as("not a fault").isZero();
        assertThat(sim.counters().callLog(Api.LIST)).filteredOn(c -> c.answered(45009)).hasSize(2)
                .allSatisfy(c -> assertThat(c.corp()).isEqualTo("corp-a"));
    }

    @Test
    void refusedCallsCountTowardNoLimit() {
        start(new CallLimits(3, 5, 0, 0));
        String a = token("corp-a");
        for (int i = 0; i < 3; i++) {
            assertThat(list(a)).isZero();
        }
        for (int i = 0; i < 10; i++) {
            assertRefused(client.call(Api.LIST, a, LIST));
        }
        at(60);
        assertThat(list(a)).isZero();
        assertThat(list(a)).isZero();
        assertRefused(client.call(Api.LIST, a, LIST)); // the hour's 5 are used up: 3 + 2
        assertThat(sim.counters().limitRefusals().of(CallLimit.CORP_PER_MINUTE)).isEqualTo(10);
        assertThat(sim.counters().limitRefusals().of(CallLimit.CORP_PER_HOUR)).isEqualTo(1);
    }

    @Test
    void theIpLimitRefusesEveryCorpsCallsOfThatApi() {
        start(new CallLimits(0, 0, 4, 0));
        String a = token("corp-a");
        String b = token("corp-b");
        assertThat(list(a)).isZero();
        assertThat(list(b)).isZero();
        assertThat(list(a)).isZero();
        assertThat(list(b)).isZero();
        assertRefused(client.call(Api.LIST, a, LIST));
        assertRefused(client.call(Api.LIST, b, LIST));
        assertThat(sim.counters().limitRefusals().of(Api.LIST, CallLimit.IP_PER_MINUTE)).isEqualTo(2);
        assertThat(sim.counters().limitRefusals().ofCorp("corp-b")).isEqualTo(1);
        at(60);
        assertThat(list(b)).isZero();
    }

    @Test
    void anotherIpIsNotRefused() throws IOException {
        start(new CallLimits(0, 0, 1, 0));
        String a = token("corp-a");
        assertThat(list(a)).isZero();
        assertRefused(client.call(Api.LIST, a, LIST));
        assertThat(SimClient.MAPPER.readTree(postFrom("127.0.0.2", Api.LIST, a, LIST.toString())).get("errcode")
                .asInt()).as("from 127.0.0.2").isZero();
    }

    @Test
    void aCorpPastItsHourLimitIsRefusedUntilTheHourEnds() {
        start(new CallLimits(0, 4, 0, 0));
        String a = token("corp-a");
        for (int minute = 0; minute < 4; minute++) {
            at(minute * 600L);
            assertThat(list(a)).isZero();
        }
        assertRefused(client.call(Api.LIST, a, LIST));
        at(3599);
        assertRefused(client.call(Api.LIST, a, LIST));
        assertThat(list(token("corp-b"))).isZero();
        at(3600);
        assertThat(list(a)).isZero();
        assertThat(sim.counters().limitRefusals().of(Api.LIST, CallLimit.CORP_PER_HOUR)).isEqualTo(2);
    }

    @Test
    void theIpHourLimitRefusesEveryCorpUntilTheHourEnds() {
        start(new CallLimits(0, 0, 0, 2));
        String a = token("corp-a");
        String b = token("corp-b");
        assertThat(list(a)).isZero();
        at(1800);
        assertThat(list(b)).isZero();
        at(3599);
        assertRefused(client.call(Api.LIST, a, LIST));
        assertRefused(client.call(Api.LIST, b, LIST));
        at(3600);
        assertThat(list(a)).isZero();
        assertThat(sim.counters().limitRefusals().of(CallLimit.IP_PER_HOUR)).isEqualTo(2);
    }

    @Test
    void withoutLimitsNothingIsRefusedAndGettokenIsNeverCounted() {
        start(CallLimits.none());
        assertThat(sim.callLimiter().limits()).isEqualTo(CallLimits.none());
        String a = token("corp-a");
        for (int i = 0; i < 30; i++) {
            assertThat(list(a)).isZero();
        }
        sim.callLimiter().setLimits(new CallLimits(1, 1, 1, 1));
        for (int i = 0; i < 5; i++) {
            assertThat(token("corp-a")).as("gettoken is not limited").isEqualTo(a);
        }
        assertThat(list(a)).as("counting starts when turned on").isZero();
        assertRefused(client.call(Api.LIST, a, LIST));
        sim.callLimiter().setLimits(CallLimits.none());
        assertThat(list(a)).as("turned off in the same minute").isZero();
        assertThat(sim.counters().limitRefusals().total()).isEqualTo(1);
    }

    @Test
    void aRefusalComesBeforeFaultsAndUsesUpNoFailNext() {
        start(new CallLimits(1, 0, 0, 0));
        String a = token("corp-a");
        assertThat(list(a)).isZero();
        sim.faults().failNext(Api.LIST, Fault.SYSTEM_BUSY, 1);
        assertRefused(client.call(Api.LIST, a, LIST));
        at(60);
        assertThat(list(a)).isEqualTo(-1);
        assertThat(sim.counters().faults(Fault.SYSTEM_BUSY)).isEqualTo(1);
    }

    @Test
    void concurrentCallsNeverOvershootALimit() throws Exception {
        start(new CallLimits(50, 0, 0, 0));
        String a = token("corp-a");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                answers.add(pool.submit(() -> list(a)));
            }
            int passed = 0;
            for (Future<Integer> f : answers) {
                passed += f.get() == 0 ? 1 : 0;
            }
            assertThat(passed).isEqualTo(50);
            assertThat(sim.counters().limitRefusals().of(Api.LIST, CallLimit.CORP_PER_MINUTE)).isEqualTo(110);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void defaultSimulatorHasNoLimits() {
        try (WecomSimulator plain = WecomSimulator.builder().dataSet(DATA).build()) {
            assertThat(plain.callLimiter().limits().isOff()).isTrue();
        }
    }

    @Test
    void wecomsNumbersAndScaling() {
        assertThat(CallLimits.wecom()).isEqualTo(new CallLimits(10_000, 150_000, 20_000, 600_000));
        assertThat(CallLimits.wecomProvider()).isEqualTo(new CallLimits(10_000, 150_000, 40_000, 1_200_000));
        assertThat(CallLimits.wecom().scaled(0.001)).isEqualTo(new CallLimits(10, 150, 20, 600));
        assertThat(CallLimits.wecom().scaled(1e-9)).isEqualTo(new CallLimits(1, 1, 1, 1));
        assertThat(new CallLimits(0, 100, 0, 0).scaled(0.5)).isEqualTo(new CallLimits(0, 50, 0, 0));
        assertThat(CallLimit.CORP_PER_HOUR.window()).isEqualTo(Duration.ofHours(1));
        assertThat(Instant.ofEpochSecond(HOUR)).isEqualTo(Instant.parse("2025-09-10T12:00:00Z"));
    }

    /** A POST over a socket bound to {@code localAddress}: the JDK 17 HttpClient cannot choose its source address. */
    private String postFrom(String localAddress, Api api, String token, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", sim.port()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + api.path() + "?access_token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200");
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
