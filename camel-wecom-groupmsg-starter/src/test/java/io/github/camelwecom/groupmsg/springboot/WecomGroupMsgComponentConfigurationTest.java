package io.github.camelwecom.groupmsg.springboot;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.StringHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spring-configuration-metadata.json that spring-boot-configuration-processor wrote for this starter lists every
 * component option of the component's catalog as {@code camel.component.wecom-groupmsg.<kebab-name>}, with the
 * catalog's description and default, and the properties users already set keep their types.
 * {@link WecomGroupMsgComponentConfiguration} is generated from the catalog (build/starter-generator), so this checks
 * the generator's output as users get it.
 */
class WecomGroupMsgComponentConfigurationTest {

    static final String PREFIX = "camel.component.wecom-groupmsg.";
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Catalog component options by name. */
    static Map<String, JsonNode> catalog;
    /** Spring Boot metadata properties by full name, from this module's own metadata file. */
    static Map<String, JsonNode> metadata;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = WecomGroupMsgComponent.class
                .getResourceAsStream("/META-INF/io/github/camelwecom/groupmsg/wecom-groupmsg.json")) {
            assertThat(in).as("the component's catalog JSON").isNotNull();
            catalog = fields(MAPPER.readTree(in).get("componentProperties"));
        }
        // several jars carry a spring-configuration-metadata.json: read the one next to the starter's classes
        URL classes = WecomGroupMsgComponentConfiguration.class.getProtectionDomain().getCodeSource().getLocation();
        URL file = new URL(classes, "META-INF/spring-configuration-metadata.json");
        try (InputStream in = file.openStream()) {
            metadata = new HashMap<>();
            MAPPER.readTree(in).get("properties").forEach(p -> metadata.put(p.get("name").asText(), p));
        }
    }

    @Test
    void everyCatalogOptionIsAPropertyWithItsDescription() {
        assertThat(catalog).as("catalog component options").hasSizeGreaterThan(20);
        for (Map.Entry<String, JsonNode> option : catalog.entrySet()) {
            String name = PREFIX + StringHelper.camelCaseToDash(option.getKey());
            assertThat(metadata).as("component option %s has no property %s in WecomGroupMsgComponentConfiguration",
                    option.getKey(), name).containsKey(name);
            String description = option.getValue().get("description").asText();
            assertThat(normalize(metadata.get(name).path("description").asText())).as("description of " + name)
                    .startsWith(normalize(description).replaceAll("\\.$", ""));
        }
    }

    @Test
    void defaultsAreTheCatalogDefaults() throws Exception {
        for (Map.Entry<String, JsonNode> option : catalog.entrySet()) {
            String name = PREFIX + StringHelper.camelCaseToDash(option.getKey());
            JsonNode catalogDefault = option.getValue().get("defaultValue");
            JsonNode springDefault = metadata.get(name).get("defaultValue");
            if (catalogDefault == null) {
                assertThat(springDefault).as("default of " + name).isNull();
            } else if ("duration".equals(option.getValue().get("type").asText())) {
                assertThat(springDefault).as("default of " + name).isNotNull();
                assertThat(DurationStyle.detectAndParse(springDefault.asText())).as("default of " + name)
                        .isEqualTo(camelDuration(catalogDefault.asText()));
            } else if (springDefault != null && springDefault.isNumber()) {
                assertThat(springDefault.decimalValue()).as("default of " + name)
                        .isEqualByComparingTo(new BigDecimal(catalogDefault.asText()));
            } else {
                assertThat(springDefault).as("default of " + name).isNotNull();
                assertThat(springDefault.asText()).as("default of " + name).isEqualTo(catalogDefault.asText());
            }
        }
    }

    @Test
    void noPropertyBeyondTheCatalogAndTheStarterSwitches() {
        Set<String> expected = new HashSet<>();
        catalog.keySet().forEach(k -> expected.add(PREFIX + StringHelper.camelCaseToDash(k)));
        expected.add(PREFIX + "enabled");
        expected.add(PREFIX + "customizer.enabled");
        assertThat(metadata.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(metadata.get(PREFIX + "enabled").path("description").asText()).isNotBlank();
    }

    @Test
    void secretsAndDurationsHaveTheirTypes() {
        assertThat(metadata.get(PREFIX + "corp-secret").get("type").asText()).isEqualTo("java.lang.String");
        catalog.forEach((key, option) -> {
            if ("duration".equals(option.get("type").asText())) {
                assertThat(metadata.get(PREFIX + StringHelper.camelCaseToDash(key)).get("type").asText())
                        .as(key).isEqualTo("java.time.Duration");
            }
        });
    }

    /**
     * Every property the starter had before its configuration class was generated, by type: users'
     * application.properties and their IDEs rely on these. A project class is named without its package, which may
     * move; a bean-typed property takes {@code #bean:name} whatever its package.
     */
    @Test
    void propertiesKeepTheTypesUsersSetThemWith() {
        Map<String, List<String>> byType = Map.of(
                "java.lang.String", List.of("base-url", "chat-type", "corp-id", "corp-secret", "creator", "end-time",
                        "msgid", "start-time", "time-zone", "userid"),
                "java.lang.Integer", List.of("concurrency", "filter-type", "limit", "max-messages-per-poll",
                        "max-retries", "scheduler-pool-size"),
                "java.lang.Boolean", List.of("autowired-enabled", "bridge-error-handler",
                        "health-check-consumer-enabled", "health-check-producer-enabled", "lazy-start-producer",
                        "skip-unreadable-messages"),
                "java.lang.Double", List.of("max-requests-per-second"),
                "java.time.Duration", List.of("connect-timeout", "max-retry-delay", "overlap", "reconcile-interval",
                        "response-timeout", "retry-delay", "track-changes-for", "window-size"),
                "AccessTokenProvider", List.of("access-token-provider"),
                "WecomGroupMsgConfiguration", List.of("configuration"),
                "org.apache.camel.spi.StateRepository<java.lang.String,java.lang.String>", List.of("state-repository"));
        byType.forEach((type, names) -> names.forEach(name -> {
            assertThat(metadata).as("property " + name).containsKey(PREFIX + name);
            String actual = metadata.get(PREFIX + name).get("type").asText()
                    .replaceAll("io\\.github\\.camelwecom\\.groupmsg\\.([a-z]+\\.)*", "");
            assertThat(actual).as("type of " + name).isEqualTo(type);
        }));
    }

    /** A duration option's text as the component's configurer reads it: Camel's own String to Duration conversion. */
    static Duration camelDuration(String text) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.build();
            return camel.getTypeConverter().convertTo(Duration.class, text);
        }
    }

    static String normalize(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    static Map<String, JsonNode> fields(JsonNode object) {
        Map<String, JsonNode> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
