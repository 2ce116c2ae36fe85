package io.github.camelwecom.groupmsg.tools;

import java.util.Locale;

import javax.lang.model.SourceVersion;

import com.fasterxml.jackson.databind.JsonNode;

/** One component option of the catalog. */
record Option(String name, String description, String type, String javaType, String defaultValue,
        boolean deprecated) {

    static Option of(String name, JsonNode json) {
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
            throw new IllegalArgumentException("option " + name + " is not a Java identifier");
        }
        if (name.equals("enabled") || name.equals("customizer")) {
            throw new IllegalArgumentException("option " + name + " clashes with the starter's own "
                    + "camel.component.<scheme>." + name + " switch");
        }
        String description = json.path("description").asText("").trim();
        if (description.isEmpty()) {
            throw new IllegalArgumentException("option " + name + " has no description in the catalog");
        }
        JsonNode defaultValue = json.get("defaultValue");
        return new Option(name, description, Catalog.required(json, "type").asText(),
                Catalog.required(json, "javaType").asText(),
                defaultValue == null || defaultValue.isNull() ? null : defaultValue.asText(),
                json.path("deprecated").asBoolean(false));
    }

    String kebabName() {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
