package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Routes written in the YAML and XML DSLs (files under src/test/resources/routes, options from property placeholders)
 * export the four months through each api and chat type, as a consumer and through the producer with
 * {@code split streaming}; what they hand on, as body classes or as their JSON, equals the ground truth.
 */
class YamlAndXmlRouteTest extends SimulatorTestSupport {

    private static final ObjectMapper MAPPER = WecomClientFactory.newObjectMapper();

    /** Records routes sent to direct:records, as they came. */
    private final List<Object> records = Collections.synchronizedList(new ArrayList<>());
    /** Records routes marshalled and sent to direct:json, as JSON text. */
    private final List<String> json = Collections.synchronizedList(new ArrayList<>());

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:records").routeId("collect-records").process(e -> records.add(e.getMessage().getBody()));
                from("direct:json").routeId("collect-json")
                        .process(e -> json.add(e.getMessage().getBody(String.class)));
            }
        };
    }

    @ParameterizedTest(name = "{0} consumer {1} {2}")
    @CsvSource({
            "yaml,list,single", "yaml,list,group", "yaml,task,single", "yaml,task,group", "yaml,result,single",
            "yaml,result,group",
            "xml,list,single", "xml,list,group", "xml,task,single", "xml,task,group", "xml,result,single",
            "xml,result,group" })
    void consumerRouteExportsTheGroundTruth(String dsl, String api, String chatType) throws Exception {
        setProperties(api, chatType);

        loadRoutes("classpath:routes/groupmsg-export." + dsl);
        String routeId = dsl + "-export";
        Route route = context.getRoute(routeId);
        assertThat(route).as("route %s loaded from the %s file", routeId, dsl).isNotNull();
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) route.getConsumer();
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "export did not finish; got " + collected());
        context.getRouteController().stopRoute(routeId);

        // the YAML route writes JSON, the XML route hands on the body classes
        assertEmitted("yaml".equals(dsl), api, chatType);
        assertThat(route.getEndpoint().toString()).as("secret masked in the endpoint's URI")
                .doesNotContain(CORP_SECRET);
    }

    @ParameterizedTest(name = "{0} producer {1} {2}")
    @CsvSource({
            "yaml,list,single", "yaml,list,group", "yaml,task,single", "yaml,task,group", "yaml,result,single",
            "yaml,result,group",
            "xml,list,single", "xml,list,group", "xml,task,single", "xml,task,group", "xml,result,single",
            "xml,result,group" })
    void producerRouteSplitsTheGroundTruth(String dsl, String api, String chatType) throws Exception {
        setProperties(api, chatType);

        loadRoutes("classpath:routes/groupmsg-split." + dsl);
        template.sendBody("direct:export", null);

        // the YAML route hands on the body classes, the XML route writes JSON
        assertEmitted("xml".equals(dsl), api, chatType);
    }

    @Test
    void inlineYamlRouteWithAPlainUri() throws Exception {
        String yaml = """
                - route:
                    id: inline
                    from:
                      uri: "wecom-groupmsg:result?baseUrl=%s&corpId=%s&corpSecret=RAW(%s)&chatType=single\
                &startTime=2025-09-01&endTime=2025-12-31T23:59:59&limit=50&concurrency=2&windowSize=P10D\
                &initialDelay=0&delay=100"
                      steps:
                        - to: "direct:records"
                """.formatted(simulator.baseUrl(), CORP_ID, CORP_SECRET);

        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("inline.yaml", yaml));
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("inline").getConsumer();
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "export did not finish; got " + collected());

        ExportAssertions.assertExactly(records, truth("result", "single"));
        assertThat(records).allMatch(GroupMsgSendResult.class::isInstance);
    }

    // ---- helpers ----

    private void setProperties(String api, String chatType) {
        Properties p = new Properties();
        p.setProperty("wecom.api", api);
        p.setProperty("wecom.chatType", chatType);
        p.setProperty("wecom.baseUrl", simulator.baseUrl());
        p.setProperty("wecom.corp-id", CORP_ID);
        p.setProperty("wecom.corp-secret", CORP_SECRET);
        context.getPropertiesComponent().setOverrideProperties(p);
    }

    private void loadRoutes(String location) throws Exception {
        // the Camel 4.22 build has no camel-xml-io-dsl (see the component's pom)
        assumeTrue(!location.endsWith(".xml") || Boolean.parseBoolean(System.getProperty("wecom.test.xmlDsl", "true")),
                "XML DSL left out of this build");
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, location));
    }

    private int collected() {
        return records.size() + json.size();
    }

    /** Exactly the ground truth came out, either all as JSON text or all as the api's body class. */
    private void assertEmitted(boolean asJson, String api, String chatType) throws Exception {
        Class<?> bodyType = switch (api) {
            case "list" -> GroupMsg.class;
            case "task" -> GroupMsgTask.class;
            default -> GroupMsgSendResult.class;
        };
        if (asJson) {
            assertThat(records).isEmpty();
            List<JsonNode> nodes = new ArrayList<>();
            for (String text : json) {
                JsonNode node = MAPPER.readTree(text);
                nodes.add(node);
                // the JSON reads back into the body class and writes out the same
                assertThat(ExportAssertions.json(MAPPER.treeToValue(node, bodyType))).isEqualTo(node);
            }
            ExportAssertions.assertExactly(nodes, truth(api, chatType));
        } else {
            assertThat(json).isEmpty();
            ExportAssertions.assertExactly(records, truth(api, chatType));
            assertThat(records).allMatch(bodyType::isInstance);
        }
    }
}
