package io.github.camelwecom.groupmsg.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the starter is generated from: the component's scheme, title, class and component options, as its catalog JSON
 * describes them.
 */
record Catalog(String scheme, String title, String componentType, List<Option> options) {

    /** @param catalog the component's catalog JSON, with {@code component} and {@code componentProperties} */
    static Catalog of(JsonNode catalog) {
        JsonNode component = required(catalog, "component");
        String scheme = required(component, "scheme").asText();
        String componentType = required(component, "javaType").asText();
        List<Option> options = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : required(catalog, "componentProperties").properties()) {
            options.add(Option.of(e.getKey(), e.getValue()));
        }
        return new Catalog(scheme, component.path("title").asText(scheme), componentType, List.copyOf(options));
    }

    /** The catalog from a file, or else from the context class loader (the component's jar on the classpath). */
    static JsonNode read(String location) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Path file = Path.of(location);
        if (Files.isRegularFile(file)) {
            return mapper.readTree(file.toFile());
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalStateException("the component's catalog " + location + " is neither a file nor on"
                        + " the classpath; camel-package-maven-plugin writes it in the component's process-classes"
                        + " phase, so build the component at least that far (mvn process-classes, test, verify)");
            }
            return mapper.readTree(in);
        }
    }

    static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the catalog has no " + field);
        }
        return value;
    }

    /** The catalog's file name, as the generated Javadoc cites it. */
    String catalogFile() {
        return scheme + ".json";
    }

    /** The starter's package: the component's, plus {@code .springboot}. */
    String packageName() {
        return componentType.substring(0, componentType.lastIndexOf('.')) + ".springboot";
    }

    String configurationName() {
        return componentName() + "Configuration";
    }

    String converterName() {
        return componentName() + "Converter";
    }

    private String componentName() {
        return componentType.substring(componentType.lastIndexOf('.') + 1);
    }
}
