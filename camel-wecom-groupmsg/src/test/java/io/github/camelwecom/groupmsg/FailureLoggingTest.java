package io.github.camelwecom.groupmsg;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a person reads when an export cannot run: one line that says what to fix, not a wall of stack trace. */
class FailureLoggingTest extends SimulatorTestSupport {

    @Test
    void aWrongSecretIsOneWarnLinePerPollWithoutAStackTrace() throws Exception {
        try (LogCapture logs = new LogCapture(Level.WARN)) {
            consume(uri("list", ONE_PAGE_RANGE).replace("corpSecret=" + CORP_SECRET, "corpSecret=wrong-secret-1"));
            await(Duration.ofSeconds(20), () -> failedPolls(logs).size() >= 2, () -> "no two failed polls logged");

            assertThat(failedPolls(logs)).allSatisfy(line -> assertThat(line)
                    .containsPattern("WeCom gettoken failed: errcode=40001.*\\. Failed polling endpoint: "
                            + "wecom-groupmsg://list\\?.*\\. Will try again at next poll")
                    .contains("check corpId").doesNotContain("wrong-secret-1"));
            assertThat(logs.text()).as("no stack trace at WARN").doesNotContain("\tat ");
        }
    }

    @Test
    void anUnreachableBaseUrlIsSaidOnceAtTheFirstFailureWithWhereItWasTried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + closedPort;
        try (LogCapture logs = new LogCapture(Level.WARN)) {
            consume(uri("list", ONE_PAGE_RANGE + "&maxRetries=2").replace(simulator.baseUrl(), base));
            await(Duration.ofSeconds(20), () -> failedPolls(logs).size() >= 2, () -> "no two failed polls logged");

            List<String> unreachable = logs.text().lines().filter(l -> l.contains("Cannot reach WeCom")).toList();
            assertThat(unreachable).hasSize(1);
            assertThat(unreachable.get(0)).contains("Cannot reach WeCom at " + base
                    + " (gettoken: connection refused by 127.0.0.1:" + closedPort + ")")
                    .contains("tried 2 more times");
            assertThat(failedPolls(logs)).allSatisfy(line -> assertThat(line).contains("WeCom gettoken failed: "
                    + "connection refused by 127.0.0.1:" + closedPort + " (gave up after 3 attempts). Failed polling"));
            assertThat(logs.text()).doesNotContain("\tat ");
        }
    }

    @Test
    void aHostThatDoesNotResolveIsSaidFirstInTheFailedPollsLine() throws Exception {
        assumeTrue(ConnectionFailureTest.doesNotResolve("qyapi.invalid"), ConnectionFailureTest.RESOLVES_INVALID);
        try (LogCapture logs = new LogCapture(Level.WARN)) {
            consume(uri("list", ONE_PAGE_RANGE + "&maxRetries=0").replace(simulator.baseUrl(),
                    "https://qyapi.invalid"));
            await(Duration.ofSeconds(20), () -> failedPolls(logs).size() >= 2, () -> "no two failed polls logged");

            assertThat(failedPolls(logs)).allSatisfy(line -> assertThat(line).contains("WeCom gettoken failed: host "
                    + "qyapi.invalid does not resolve (check baseUrl and this server's DNS) (gave up after 1 attempt). "
                    + "Failed polling endpoint: wecom-groupmsg://list?baseUrl=https%3A%2F%2Fqyapi.invalid&")
                    .doesNotContain(CORP_SECRET));
        }
    }

    private void consume(String endpoint) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("failing").to("mock:never");
            }
        });
    }

    private static List<String> failedPolls(LogCapture logs) {
        return logs.text().lines().filter(l -> l.contains("Failed polling endpoint")).toList();
    }
}
