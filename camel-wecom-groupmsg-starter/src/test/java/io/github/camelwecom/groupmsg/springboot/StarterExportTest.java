package io.github.camelwecom.groupmsg.springboot;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import io.github.camelwecom.groupmsg.WecomGroupMsgConfiguration;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.client.ChatType;
import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot app with the starter, configured only by {@code application.properties}, exports every group-chat send
 * result of the simulator's four months through a route that names nothing but {@code wecom-groupmsg:result}, and gets
 * exactly the ground truth.
 */
@SpringBootTest(classes = StarterExportTest.App.class)
class StarterExportTest {

    /** As in src/test/resources/application.properties. */
    static final String CORP_ID = "ww-starter-test";
    static final String CORP_SECRET = "starter-test-secret-0123456789";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    static final WecomSimulator SIMULATOR = WecomSimulator.builder().port(0)
            .dataSet(DataSet.generate(DataSetSpec.small().toBuilder().groupMessages(120).build()))
            .credentials(CORP_ID, CORP_SECRET).build();

    static final List<GroupMsgSendResult> EXPORTED = Collections.synchronizedList(new ArrayList<>());

    @DynamicPropertySource
    static void simulatorUrl(DynamicPropertyRegistry registry) {
        SIMULATOR.start();
        registry.add("camel.component.wecom-groupmsg.base-url", SIMULATOR::baseUrl);
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        RouteBuilder exportRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("wecom-groupmsg:result").routeId("export")
                            .process(e -> EXPORTED.add(e.getMessage().getBody(GroupMsgSendResult.class)));
                }
            };
        }
    }

    @Autowired
    CamelContext camelContext;

    @Test
    void exportConfiguredByApplicationPropertiesEqualsGroundTruth() throws Exception {
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) camelContext.getRoute("export").getConsumer();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(consumer::isFinished);

        long start = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
        long end = LocalDate.parse("2026-01-01").atStartOfDay(ZONE).toEpochSecond() - 1;
        ObjectMapper mapper = WecomClientFactory.newObjectMapper();
        List<JsonNode> expected = SIMULATOR.dataSet().groundTruth().results("group", start, end, null, 2)
                .map(r -> json(mapper, r)).toList();
        List<JsonNode> actual;
        synchronized (EXPORTED) {
            actual = EXPORTED.stream().map(r -> json(mapper, r)).toList();
        }
        assertThat(expected).as("ground truth").hasSizeGreaterThan(50);
        assertThat(actual).as("exported send results, in the API's order").containsExactlyElementsOf(expected);

        // 2025-09-01 .. 2025-12-31 in windows of at most 20 days: at least 7 list windows
        assertThat(SIMULATOR.counters().calls(Api.LIST)).isGreaterThanOrEqualTo(7);
    }

    /** A record as JSON text read back, so numbers compare by value whatever their Java type. */
    static JsonNode json(ObjectMapper mapper, Object record) {
        try {
            return mapper.readTree(mapper.writeValueAsString(record));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void componentCarriesThePropertiesAsItsDefaults() {
        WecomGroupMsgConfiguration config = camelContext.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class)
                .getConfiguration();
        assertThat(config.getCorpId()).isEqualTo(CORP_ID);
        assertThat(config.getCorpSecret()).isEqualTo(CORP_SECRET);
        assertThat(config.getBaseUrl()).isEqualTo(SIMULATOR.baseUrl());
        assertThat(config.getChatType()).isEqualTo(ChatType.GROUP);
        assertThat(config.getStartTime()).isEqualTo("2025-09-01");
        assertThat(config.getEndTime()).isEqualTo("2025-12-31T23:59:59");
        assertThat(config.getWindowSize()).isEqualTo(Duration.ofDays(20).toMillis());
        assertThat(config.getLimit()).isEqualTo(200);
        assertThat(config.getConcurrency()).isEqualTo(2);
        assertThat(config.getRetryDelay()).isEqualTo(10);
        assertThat(config.getMaxRetryDelay()).isEqualTo(50);
        // not set: the component's own defaults
        assertThat(config.getTimeZone()).isEqualTo("Asia/Shanghai");
        assertThat(config.getOverlap()).isEqualTo(Duration.ofMinutes(10).toMillis());
        assertThat(config.getStateRepository()).isNull();
    }
}
