package io.github.camelwecom.groupmsg.tools;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the generator writes for each kind of catalog option; the real catalog's output is checked in the starter
 * ({@code GeneratedSourcesAreCurrentTest}, {@code WecomGroupMsgComponentConfigurationTest}).
 */
class StarterGeneratorTest {

    static final String CATALOG = """
            {
              "component": { "kind": "component", "name": "demo", "title": "Demo", "scheme": "demo",
                             "javaType": "org.example.demo.DemoComponent" },
              "componentProperties": {
                "name": { "kind": "property", "type": "string", "javaType": "java.lang.String",
                          "defaultValue": "a \\"quoted\\" \\\\ value", "description": "The name" },
                "count": { "kind": "property", "type": "integer", "javaType": "int", "defaultValue": 4,
                           "description": "How many." },
                "limit": { "kind": "property", "type": "integer", "javaType": "java.lang.Integer",
                           "description": "No default" },
                "big": { "kind": "property", "type": "integer", "javaType": "long", "defaultValue": 5,
                         "description": "A long" },
                "rate": { "kind": "property", "type": "number", "javaType": "double", "defaultValue": 0.0,
                          "description": "A double" },
                "flag": { "kind": "property", "type": "boolean", "javaType": "boolean", "defaultValue": true,
                          "description": "A flag" },
                "mode": { "kind": "property", "type": "enum", "javaType": "org.example.demo.Mode",
                          "enum": [ "fast", "slow" ], "defaultValue": "fast", "description": "A Java enum" },
                "level": { "kind": "property", "type": "enum", "javaType": "int", "enum": [ "0", "1" ],
                           "defaultValue": 1, "description": "A number enum" },
                "window": { "kind": "property", "type": "duration", "javaType": "long", "defaultValue": "P30D",
                            "description": "A duration" },
                "delay": { "kind": "property", "type": "duration", "javaType": "long", "defaultValue": "500ms",
                           "description": "Another duration" },
                "timeout": { "kind": "property", "type": "duration", "javaType": "long",
                             "description": "No default duration" },
                "repository": { "kind": "property", "type": "object",
                                "javaType": "org.apache.camel.spi.StateRepository<java.lang.String, java.lang.String>",
                                "description": "A bean with generics" },
                "headers": { "kind": "property", "type": "object",
                             "javaType": "java.util.Map<java.lang.String, java.lang.Object>",
                             "description": "Bound by Spring itself" },
                "old": { "kind": "property", "type": "string", "javaType": "java.lang.String", "deprecated": true,
                         "description": "Replaced by name" }
              }
            }
            """;

    static final String CONFIGURATION = "org/example/demo/springboot/DemoComponentConfiguration.java";
    static final String CONVERTER = "org/example/demo/springboot/DemoComponentConverter.java";

    static Map<String, String> generate(String json) throws Exception {
        JsonNode catalog = new ObjectMapper().readTree(json);
        return new StarterGenerator(catalog).generate();
    }

    /** The source with each field's Javadoc lines joined. */
    static String unwrapped(String source) {
        return source.replace("\n     * ", " ");
    }

    @Test
    void writesTheConfigurationAndTheConverterInTheComponentsSpringbootPackage() throws Exception {
        assertThat(generate(CATALOG)).containsOnlyKeys(CONFIGURATION, CONVERTER);
        String source = generate(CATALOG).get(CONFIGURATION);
        assertThat(source).startsWith("package org.example.demo.springboot;\n\n")
                .contains("@ConfigurationProperties(prefix = \"camel.component.demo\")\n"
                        + "public class DemoComponentConfiguration extends ComponentConfigurationPropertiesCommon {")
                .contains("import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;")
                .contains("@SuppressWarnings(\"unused\")").contains("private Boolean enabled;")
                .doesNotContain("\n\n\n");
    }

    @Test
    void primitivesBecomeWrappersWithTheCatalogDefault() throws Exception {
        String source = generate(CATALOG).get(CONFIGURATION);
        assertThat(source).contains("private String name = \"a \\\"quoted\\\" \\\\ value\";")
                .contains("private Integer count = 4;").contains("private Integer limit;")
                .contains("private Long big = 5L;").contains("private Double rate = 0.0;")
                .contains("private Boolean flag = true;")
                .contains("    public Integer getCount() {\n        return count;\n    }\n")
                .contains("    public void setCount(Integer count) {\n        this.count = count;\n    }\n");
    }

    @Test
    void anEnumIsItsTextUnlessItsValuesAreNumbers() throws Exception {
        String source = generate(CATALOG).get(CONFIGURATION);
        assertThat(source).contains("private String mode = \"fast\";").contains("private Integer level = 1;")
                .doesNotContain("Mode;");
    }

    @Test
    void aDurationIsADurationInTheLargestExactUnit() throws Exception {
        String source = generate(CATALOG).get(CONFIGURATION);
        assertThat(source).contains("import java.time.Duration;")
                .contains("private Duration window = Duration.ofDays(30);")
                .contains("private Duration delay = Duration.ofMillis(500);").contains("private Duration timeout;")
                .contains("A duration. The option is a java.time.Duration type.");
    }

    @Test
    void camelDurationTextIsReadAsCamelReadsIt() {
        assertThat(Durations.parse("o", "PT10M")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("o", "-P1D")).isEqualTo(Duration.ofDays(-1));
        assertThat(Durations.parse("o", "p3d")).isEqualTo(Duration.ofDays(3));
        assertThat(Durations.parse("o", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("o", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("o", "2m500ms")).isEqualTo(Duration.ofMillis(120_500));
        assertThat(Durations.parse("o", "1500")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Durations.parse("window", "soon"))
                .hasMessageContaining("option window").hasMessageContaining("soon");
        assertThat(Durations.initializer("Duration", Duration.ofHours(6)))
                .isEqualTo("Duration.ofHours(6)");
        assertThat(Durations.initializer("Duration", Duration.ofSeconds(90)))
                .isEqualTo("Duration.ofSeconds(90)");
        assertThat(Durations.initializer("Duration", Duration.ZERO)).isEqualTo("Duration.ofMillis(0)");
    }

    @Test
    void aBeanOptionKeepsItsTypeAndTheConverterResolvesReferences() throws Exception {
        Map<String, String> files = generate(CATALOG);
        assertThat(files.get(CONFIGURATION)).contains("import org.apache.camel.spi.StateRepository;")
                .contains("private StateRepository<String, String> repository;");
        assertThat(unwrapped(files.get(CONFIGURATION)))
                .contains("A bean with generics. The option is a org.apache.camel.spi.StateRepository<java.lang.String,"
                        + " java.lang.String> type.")
                .contains("private Map<String, Object> headers;").contains("Bound by Spring itself\n");
        assertThat(files.get(CONVERTER))
                .contains("public class DemoComponentConverter implements GenericConverter {")
                .contains("answer.add(new ConvertiblePair(String.class, StateRepository.class));")
                .doesNotContain("Map.class").contains("{@code camel.component.demo.repository=#bean:myBean}");
    }

    @Test
    void aDeprecatedOptionIsADeprecatedProperty() throws Exception {
        String source = generate(CATALOG).get(CONFIGURATION);
        assertThat(source).contains("    @Deprecated\n    private String old;")
                .contains("    @Deprecated\n    @DeprecatedConfigurationProperty\n    public String getOld() {")
                .contains("    @Deprecated\n    public void setOld(String old) {");
    }

    @Test
    void javadocIsWrappedAtTheFormattersLineLengthAndCannotEndEarly() {
        String words = "word ".repeat(60) + "{@code a b c} closes */ here and \\u0041 stays text";
        String javadoc = JavaText.javadoc("    ", words);
        assertThat(javadoc.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
        assertThat(javadoc).contains("{@code a b c}").contains("*&#47; here").contains("&#92;u0041")
                .startsWith("    /**\n     * word").endsWith("     */\n");
        assertThat(JavaText.wrap("one {@code two three} four", 12)).containsExactly("one", "{@code two three}",
                "four");
        assertThat(JavaText.wrap("x see @since", 6)).containsExactly("x see @since");
    }

    @Test
    void whatItCannotWriteFailsTheBuildNamingTheOption() {
        String array = CATALOG.replace("\"type\": \"boolean\", \"javaType\": \"boolean\"",
                "\"type\": \"array\", \"javaType\": \"boolean[]\"");
        assertThatThrownBy(() -> generate(array).get(CONFIGURATION)).hasMessageContaining("option flag")
                .hasMessageContaining("array");
        String noDescription = CATALOG.replace("\"description\": \"The name\"", "\"description\": \"\"");
        assertThatThrownBy(() -> generate(noDescription)).hasMessageContaining("option name has no description");
        String reserved = CATALOG.replace("\"count\":", "\"enabled\":");
        assertThatThrownBy(() -> generate(reserved)).hasMessageContaining("option enabled");
    }
}
