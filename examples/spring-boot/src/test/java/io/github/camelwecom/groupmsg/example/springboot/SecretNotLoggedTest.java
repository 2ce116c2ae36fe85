package io.github.camelwecom.groupmsg.example.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app with its documented credentials ({@code WECOM_CORP_ID} / {@code WECOM_CORP_SECRET}, here their
 * {@code wecom.corp-id} / {@code wecom.corp-secret} properties) against a simulator that only takes a distinctive
 * secret: everything the run wrote to stdout and stderr (Spring Boot's and Camel's log, at the levels the app
 * configures) and {@code /actuator/health} carry no trace of it.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "wecom.start-time=2025-09-01", "wecom.end-time=2025-12-31T23:59:59" })
class SecretNotLoggedTest {

    private static final String SECRET = "Spring-Boot-Test-Secret-c93d50";
    private static final WecomSimulator WECOM = WecomSimulator.builder().dataSet(DataSet.generate(DataSetSpec.small()))
            .credentials("ww-spring-test", SECRET).build().start();

    @Autowired
    SyncReport report;
    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void wecom(DynamicPropertyRegistry registry) {
        registry.add("wecom.corp-id", () -> "ww-spring-test");
        registry.add("wecom.corp-secret", () -> SECRET);
        registry.add("camel.component.wecom-groupmsg.base-url", WECOM::baseUrl);
    }

    @AfterAll
    static void stopWecom() {
        WECOM.close();
    }

    @Test
    void theSecretIsInNoLineOfTheRunNorInTheHealth(CapturedOutput output) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(report::isFinished);
        String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(WECOM.counters().tokensIssued()).isPositive();
        assertThat(health).contains("\"status\":\"UP\"").doesNotContain(SECRET);
        assertThat(output.getAll()).contains("Routes startup").contains("rows in wecom_groupmsg_send_result")
                .doesNotContain(SECRET);
    }
}
