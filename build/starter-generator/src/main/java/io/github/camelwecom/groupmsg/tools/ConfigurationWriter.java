package io.github.camelwecom.groupmsg.tools;

/** Writes {@code <Name>ComponentConfiguration}: one Spring Boot property per component option, with its accessors. */
final class ConfigurationWriter {

    private final Catalog catalog;
    private final Imports imports;
    private final StringBuilder fields = new StringBuilder();
    private final StringBuilder accessors = new StringBuilder();

    private ConfigurationWriter(Catalog catalog) {
        this.catalog = catalog;
        this.imports = new Imports(catalog.packageName());
    }

    static String source(Catalog catalog) {
        return new ConfigurationWriter(catalog).write();
    }

    private String write() {
        // used first so that they, not an option's type, get the simple names
        String base = imports.use("org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon");
        String annotation = imports.use("org.springframework.boot.context.properties.ConfigurationProperties");
        enabledField();
        for (Option option : catalog.options()) {
            Property property = Property.of(option);
            String type = imports.type(property.javaType());
            field(option, property, type);
            accessors(option, type);
        }
        StringBuilder out = new StringBuilder();
        out.append("package ").append(catalog.packageName()).append(";\n\n").append(imports.block());
        out.append(classJavadoc());
        out.append('@').append(annotation).append("(prefix = \"camel.component.").append(catalog.scheme())
                .append("\")\n");
        out.append("public class ").append(catalog.configurationName()).append(" extends ").append(base)
                .append(" {\n\n");
        out.append(fields).append(accessors).append("}\n");
        return out.toString();
    }

    /** The starter's own on/off switch, declared only so that it has IDE metadata. */
    private void enabledField() {
        fields.append(JavaText.javadoc("    ", "Whether to enable auto configuration of the " + catalog.scheme()
                + " component. This is enabled by default."));
        fields.append(
                "    @SuppressWarnings(\"unused\") // only so that the configuration processor describes \"enabled\"\n");
        fields.append("    private Boolean enabled;\n");
    }

    private void field(Option option, Property property, String type) {
        fields.append('\n').append(JavaText.javadoc("    ", property.description()));
        if (option.deprecated()) {
            fields.append("    @Deprecated\n");
        }
        fields.append("    private ").append(type).append(' ').append(option.name());
        if (property.durationDefault() != null) {
            fields.append(" = ")
                    .append(Durations.initializer(imports.use("java.time.Duration"), property.durationDefault()));
        } else if (property.literalDefault() != null) {
            fields.append(" = ").append(property.literalDefault());
        }
        fields.append(";\n");
    }

    private void accessors(Option option, String type) {
        String name = option.name();
        String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        accessors.append('\n');
        if (option.deprecated()) {
            accessors.append("    @Deprecated\n    @")
                    .append(imports.use("org.springframework.boot.context.properties.DeprecatedConfigurationProperty"))
                    .append('\n');
        }
        accessors.append("    public ").append(type).append(" get").append(suffix).append("() {\n")
                .append("        return ").append(name).append(";\n    }\n\n");
        if (option.deprecated()) {
            accessors.append("    @Deprecated\n");
        }
        accessors.append("    public void set").append(suffix).append('(').append(type).append(' ').append(name)
                .append(") {\n        this.").append(name).append(" = ").append(name).append(";\n    }\n");
    }

    private String classJavadoc() {
        return JavaText.javadoc("", "The " + catalog.title()
                + " component's options as Spring Boot properties, {@code camel.component." + catalog.scheme()
                + ".*}: one property per component option of the component's catalog ({@code " + catalog.catalogFile()
                + "}), with the catalog's description and default. They are defaults for every endpoint; an option"
                + " on an endpoint URI wins.",
                "As in apache/camel-spring-boot's starters, primitives become wrapper types (unset leaves the"
                        + " component's own default) and a bean-typed option takes a reference such as {@code"
                        + " #bean:myBean} (see {@link " + catalog.converterName() + "}). A duration option is a {@code"
                        + " java.time.Duration}, so the same text as on a URI works: {@code 500ms}, {@code 30s},"
                        + " {@code PT10M}, {@code P30D} (a plain number is milliseconds); an enum option is its text"
                        + " as on a URI.",
                "Generated at build time by build/starter-generator from the catalog: do not edit. An option's name,"
                        + " description and default come from its {@code @UriParam} or {@code @Metadata} in the"
                        + " component.");
    }
}
