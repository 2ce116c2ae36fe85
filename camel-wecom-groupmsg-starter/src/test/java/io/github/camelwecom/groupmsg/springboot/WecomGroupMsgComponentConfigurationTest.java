package io.github.camelwecom.groupmsg.springboot;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import org.apache.camel.util.StringHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spring-configuration-metadata.json that spring-boot-configuration-processor wrote for this starter lists every
 * component option of the component's catalog as {@code camel.component.wecom-groupmsg.<kebab-name>}, with the
 * catalog's description and default. An option added to the component and not to
 * {@link WecomGroupMsgComponentConfiguration} fails here.
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
