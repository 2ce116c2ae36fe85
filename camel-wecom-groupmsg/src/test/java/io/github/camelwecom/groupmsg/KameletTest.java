package io.github.camelwecom.groupmsg;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code wecom-groupmsg-source} Kamelet, loaded by camel-kamelet from {@code kamelets/} on the classpath (the
 * component jar's resources), exports each api from the simulator as JSON documents equal to the ground truth, with
 * content type application/json and the component's headers; its definition documents every parameter its template
 * uses, with the component's defaults and version; the Camel K Pipe in the docs runs with Camel's YAML DSL.
 */
class KameletTest extends SimulatorTestSupport {

    private static final String KAMELET = "kamelets/wecom-groupmsg-source.kamelet.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What reached the route after kamelet:wecom-groupmsg-source: bodies as text, and headers. */
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<Map<String, Object>> headers = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "list,single", "task,group", "result,single" })
    void sourceEmitsTheGroundTruthAsJson(String api, String chatType) throws Exception {
        String uri = "kamelet:wecom-groupmsg-source?api=" + api + "&chatType=" + chatType + "&corpId=" + CORP_ID
                + "&corpSecret=" + CORP_SECRET + "&baseUrl=" + simulator.baseUrl()
                + "&startTime=2025-09-01&endTime=2025-12-31T23:59:59";

        exportThrough(uri);

        assertThat(headers).allSatisfy(h -> {
            assertThat(h).containsEntry(Exchange.CONTENT_TYPE, "application/json")
                    .containsEntry(WecomGroupMsgConstants.API, api)
                    .containsEntry(WecomGroupMsgConstants.CHAT_TYPE, chatType);
        });
        List<JsonNode> records = parse(bodies);
        for (int i = 0; i < records.size(); i++) {
            assertThat(headers.get(i)).containsEntry(WecomGroupMsgConstants.MSG_ID,
                    records.get(i).get("msgid").asText());
        }
        ExportAssertions.assertExactly(records, truth(api, chatType));
    }

    @Test
    void propertiesAsCamelKSetsThemAndASecretWithUriCharacters() throws Exception {
        // Camel K passes a Pipe's source properties as camel.kamelet.<kamelet>.<source id>.<property>
        String secret = "p+q&r=s%t/u?v w";
        try (WecomSimulator wecom = WecomSimulator.builder().port(0).dataSet(DATA).credentials(CORP_ID, secret)
                .build().start()) {
            String prefix = "camel.kamelet.wecom-groupmsg-source.source.";
            Properties p = new Properties();
            p.setProperty(prefix + "api", "result");
            p.setProperty(prefix + "chatType", "group");
            p.setProperty(prefix + "corpId", CORP_ID);
            p.setProperty(prefix + "corpSecret", secret);
            p.setProperty(prefix + "baseUrl", wecom.baseUrl());
            p.setProperty(prefix + "startTime", "2025-09-01");
            p.setProperty(prefix + "endTime", "2025-12-31T23:59:59");
            context.getPropertiesComponent().setOverrideProperties(p);

            exportThrough("kamelet:wecom-groupmsg-source/source");

            ExportAssertions.assertExactly(parse(bodies), truth("result", "group"));
            assertThat(wecom.counters().tokensIssued()).isEqualTo(1);
            for (Route route : context.getRoutes()) {
                assertThat(route.getEndpoint().toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void pipeExampleInTheDocsRunsWithItsSinkReplaced() throws Exception {
        // the docs' Camel K Pipe, as Camel's YAML DSL loads a Pipe, pointed at the simulator and a local sink
        Map<String, Object> pipe = yaml(Path.of("src/main/docs/wecom-groupmsg-source-pipe.yaml"));
        Map<String, Object> spec = map(pipe.get("spec"));
        Map<String, Object> source = map(spec.get("source"));
        assertThat(pipe).containsEntry("apiVersion", "camel.apache.org/v1").containsEntry("kind", "Pipe");
        assertThat(map(source.get("ref"))).containsEntry("kind", "Kamelet").containsEntry("name",
                "wecom-groupmsg-source");
        Map<String, Object> properties = map(source.get("properties"));
        assertThat(map(map(map(yaml(KAMELET).get("spec")).get("definition")).get("properties")))
                .containsKeys(properties.keySet().toArray(String[]::new));

        properties.putAll(Map.of("corpId", CORP_ID, "corpSecret", CORP_SECRET, "baseUrl", simulator.baseUrl(),
                "startTime", "2025-09-01", "endTime", "2025-12-31T23:59:59"));
        spec.put("sink", Map.of("uri", "direct:pipe-sink"));
        String yaml = new Dump(DumpSettings.builder().build()).dumpToString(pipe);
        context.addRoutes(collectFrom("direct:pipe-sink"));
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("pipe.yaml", yaml));
        awaitExport();

        ExportAssertions.assertExactly(parse(bodies), truth(String.valueOf(properties.get("api")),
                String.valueOf(properties.get("chatType"))));
    }

    @Test
    void definitionDocumentsEveryTemplateParameterWithTheComponentsDefaults() throws Exception {
        Map<String, Object> kamelet = yaml(KAMELET);
        Map<String, Object> metadata = map(kamelet.get("metadata"));
        Map<String, Object> spec = map(kamelet.get("spec"));
        Map<String, Object> definition = map(spec.get("definition"));
        Map<String, Object> properties = map(definition.get("properties"));
        JsonNode catalog = JSON.readTree(
                getClass().getResource("/META-INF/io/github/camelwecom/groupmsg/wecom-groupmsg.json"));
        String version = catalog.at("/component/version").asText();

        assertThat(kamelet).containsEntry("apiVersion", "camel.apache.org/v1").containsEntry("kind", "Kamelet");
        assertThat(metadata).containsEntry("name", "wecom-groupmsg-source");
        assertThat(map(metadata.get("labels"))).containsEntry("camel.apache.org/kamelet.type", "source");
        assertThat(map(metadata.get("annotations")))
                .containsEntry("camel.apache.org/catalog.version", version)
                .containsEntry("camel.apache.org/kamelet.support.level",
                        catalog.at("/component/supportLevel").asText())
                .containsKey("camel.apache.org/provider");
        assertThat(map(map(spec.get("types")).get("out"))).containsEntry("mediaType", "application/json");
        assertThat(list(spec.get("dependencies")))
                .contains("mvn:io.github.camelwecom:camel-wecom-groupmsg:" + version, "camel:jackson");

        // every {{name}} and {{?name}} in the template is a documented, typed property
        String template = String.valueOf(spec.get("template"));
        Set<String> used = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\{\\{\\??([A-Za-z]+)}}").matcher(template);
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).contains("api", "corpId", "corpSecret", "chatType", "startTime", "endTime", "baseUrl");
        assertThat(properties.keySet()).containsAll(used);
        properties.forEach((name, value) -> assertThat(map(value)).as(name)
                .containsKeys("title", "description").containsEntry("type", "string"));
        assertThat(list(definition.get("required"))).containsExactlyInAnyOrder("corpId", "corpSecret");

        // enums and defaults as the component has them
        JsonNode api = catalog.at("/properties/api");
        assertThat(map(properties.get("api"))).containsEntry("default", "list")
                .containsEntry("enum", JSON.convertValue(api.get("enum"), List.class));
        for (String option : new String[] { "chatType", "baseUrl", "timeZone" }) {
            JsonNode component = catalog.at("/properties/" + option);
            assertThat(map(properties.get(option))).as(option)
                    .containsEntry("default", component.get("defaultValue").asText());
            if (component.has("enum")) {
                assertThat(map(properties.get(option))).containsEntry("enum",
                        JSON.convertValue(component.get("enum"), List.class));
            }
        }
        Map<String, Object> corpSecret = map(properties.get("corpSecret"));
        assertThat(corpSecret).containsEntry("format", "password");
        assertThat(list(corpSecret.get("x-descriptors")))
                .contains("urn:alm:descriptor:com.tectonic.ui:password", "urn:camel:group:credentials");
        assertThat(catalog.at("/properties/corpSecret/secret").asBoolean()).isTrue();
    }

    // ---- helpers ----

    /** Runs {@code uri} into a collecting route until the Kamelet's bounded export is done. */
    private void exportThrough(String uri) throws Exception {
        context.addRoutes(collectFrom(uri));
        awaitExport();
    }

    private RouteBuilder collectFrom(String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("collect").process(e -> {
                    bodies.add(e.getMessage().getBody(String.class));
                    headers.add(Map.copyOf(e.getMessage().getHeaders()));
                });
            }
        };
    }

    private void awaitExport() throws Exception {
        // the Kamelet's template became a route of its own; its consumer is the wecom-groupmsg one
        WecomGroupMsgConsumer consumer = context.getRoutes().stream().map(Route::getConsumer)
                .filter(WecomGroupMsgConsumer.class::isInstance).map(WecomGroupMsgConsumer.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no wecom-groupmsg route: " + context.getRoutes()));
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "export did not finish; got " + bodies.size());
    }

    private static List<JsonNode> parse(List<String> texts) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String text : List.copyOf(texts)) {
            nodes.add(JSON.readTree(text));
        }
        return nodes;
    }

    private static Map<String, Object> yaml(String resource) throws Exception {
        try (InputStream in = KameletTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the classpath").isNotNull();
            return map(new Load(LoadSettings.builder().build()).loadFromInputStream(in));
        }
    }

    private static Map<String, Object> yaml(Path file) throws Exception {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
