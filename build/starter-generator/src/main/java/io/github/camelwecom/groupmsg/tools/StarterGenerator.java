package io.github.camelwecom.groupmsg.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes a Spring Boot starter's {@code <Name>ComponentConfiguration} and {@code <Name>ComponentConverter} from a Camel
 * component's catalog JSON (the {@code <scheme>.json} camel-package-maven-plugin generates from the component's
 * {@code @UriParam} and {@code @Metadata}), in the shape apache/camel-spring-boot generates for Camel's own starters:
 * one property per component option under {@code camel.component.<scheme>}, with the option's description as Javadoc
 * (which spring-boot-configuration-processor turns into IDE metadata) and its default as the field's initializer.
 *
 * <p>
 * Types are the ones users of this project's starter already set: a primitive becomes its wrapper (unset is
 * {@code null}, so the component keeps its own default), a duration is a {@link Duration} (Spring Boot reads
 * {@code 500ms}, {@code 30s}, {@code PT10M}, {@code P30D}), an enum is its text as on a URI, and a bean-typed option
 * keeps its Java type and takes a reference, {@code #bean:name}, through the generated converter.
 *
 * <p>
 * Run by the starter's build ({@code exec:java} in {@code generate-sources}): {@code StarterGenerator <catalog>
 * <output directory>}, where the catalog is a resource on the classpath (the component's jar) or a file. A file is
 * rewritten only when its text changes (so the compiler sees no change either), and other {@code .java} files in the
 * output directory are removed.
 */
public final class StarterGenerator {

    private final Catalog catalog;

    /** @param catalog the component's catalog JSON, with {@code component} and {@code componentProperties} */
    public StarterGenerator(JsonNode catalog) {
        this.catalog = Catalog.of(catalog);
    }

    /** The generated sources, by path relative to a source root. */
    public Map<String, String> generate() {
        String dir = catalog.packageName().replace('.', '/') + "/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(dir + catalog.configurationName() + ".java", configurationSource());
        files.put(dir + catalog.converterName() + ".java", converterSource());
        return files;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException(
                    "usage: StarterGenerator <catalog: classpath resource or file> <output source directory>");
        }
        Map<String, String> files = new StarterGenerator(Catalog.read(args[0])).generate();
        Path out = Path.of(args[1]);
        removeOthers(out, files.keySet());
        writeChanged(out, files);
    }

    /**
     * Removes the .java files under the directory that are not generated any more (after the component is renamed,
     * say).
     */
    private static void removeOthers(Path out, Set<String> generated) throws IOException {
        if (!Files.isDirectory(out)) {
            return;
        }
        try (Stream<Path> existing = Files.walk(out)) {
            for (Path p : existing.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (!generated.contains(out.relativize(p).toString().replace('\\', '/'))) {
                    Files.delete(p);
                    System.out.println("[starter-generator] removed " + p);
                }
            }
        }
    }

    /** Writes only the files whose text changed (see the class comment). */
    private static void writeChanged(Path out, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = out.resolve(f.getKey());
            if (!Files.isRegularFile(file) || !Files.readString(file).equals(f.getValue())) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, f.getValue());
                System.out.println("[starter-generator] wrote " + file);
            }
        }
    }

    String configurationSource() {
        Imports imports = new Imports(catalog.packageName());
        String base = imports.use("org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon");
        String annotation = imports.use("org.springframework.boot.context.properties.ConfigurationProperties");

        StringBuilder body = new StringBuilder();
        body.append(JavaText.javadoc("    ", "Whether to enable auto configuration of the " + catalog.scheme()
                + " component. This is enabled by default."));
        body.append(
                "    @SuppressWarnings(\"unused\") // only so that the configuration processor describes \"enabled\"\n");
        body.append("    private Boolean enabled;\n");
        StringBuilder accessors = new StringBuilder();
        for (Option option : catalog.options()) {
            Property property = Property.of(option);
            String type = imports.type(property.javaType());
            body.append('\n').append(JavaText.javadoc("    ", property.description()));
            if (option.deprecated()) {
                body.append("    @Deprecated\n");
            }
            body.append("    private ").append(type).append(' ').append(option.name());
            if (property.durationDefault() != null) {
                body.append(" = ")
                        .append(Durations.initializer(imports.use("java.time.Duration"), property.durationDefault()));
            } else if (property.literalDefault() != null) {
                body.append(" = ").append(property.literalDefault());
            }
            body.append(";\n");

            String suffix = Character.toUpperCase(option.name().charAt(0)) + option.name().substring(1);
            accessors.append('\n');
            if (option.deprecated()) {
                accessors.append("    @Deprecated\n    @")
                        .append(imports
                                .use("org.springframework.boot.context.properties.DeprecatedConfigurationProperty"))
                        .append('\n');
            }
            accessors.append("    public ").append(type).append(" get").append(suffix).append("() {\n")
                    .append("        return ").append(option.name()).append(";\n    }\n\n");
            if (option.deprecated()) {
                accessors.append("    @Deprecated\n");
            }
            accessors.append("    public void set").append(suffix).append('(').append(type).append(' ')
                    .append(option.name()).append(") {\n        this.").append(option.name()).append(" = ")
                    .append(option.name()).append(";\n    }\n");
        }

        StringBuilder out = new StringBuilder();
        out.append("package ").append(catalog.packageName()).append(";\n\n").append(imports.block());
        out.append(JavaText.javadoc("", "The " + catalog.title()
                + " component's options as Spring Boot properties, {@code camel.component."
                + catalog.scheme() + ".*}: one property per component option of the component's catalog ({@code "
                + catalog.catalogFile()
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
                        + " component."));
        out.append('@').append(annotation).append("(prefix = \"camel.component.").append(catalog.scheme())
                .append("\")\n");
        out.append("public class ").append(catalog.configurationName()).append(" extends ").append(base)
                .append(" {\n\n");
        out.append(body).append(accessors).append("}\n");
        return out.toString();
    }

    String converterSource() {
        Imports imports = new Imports(catalog.packageName());
        imports.use("java.util.LinkedHashSet");
        imports.use("java.util.Set");
        String autowired = imports.use("org.springframework.beans.factory.annotation.Autowired");
        String binding = imports.use("org.springframework.boot.context.properties.ConfigurationPropertiesBinding");
        String context = imports.use("org.springframework.context.ApplicationContext");
        String configuration = imports.use("org.springframework.context.annotation.Configuration");
        String typeDescriptor = imports.use("org.springframework.core.convert.TypeDescriptor");
        String converter = imports.use("org.springframework.core.convert.converter.GenericConverter");

        StringBuilder pairs = new StringBuilder();
        String example = null;
        for (Option option : catalog.options()) {
            Property property = Property.of(option);
            if (property.beanType() != null) {
                pairs.append("        answer.add(new ConvertiblePair(String.class, ")
                        .append(imports.type(property.beanType())).append(".class));\n");
                // the example names a bean option other than the catalog's nested "configuration", if there is one
                if (example == null || example.equals("configuration")) {
                    example = option.kebabName();
                }
            }
        }
        example = example == null ? "<option>" : example;

        StringBuilder out = new StringBuilder();
        out.append("package ").append(catalog.packageName()).append(";\n\n").append(imports.block());
        out.append(JavaText.javadoc("", "Lets the bean-typed options of {@link " + catalog.configurationName()
                + "} name a Spring bean:"
                + " {@code camel.component." + catalog.scheme() + "." + example
                + "=#bean:myBean} (or {@code #myBean}). A value"
                + " that does not start with {@code #} is not converted, so Spring Boot reports it as a binding error.",
                "Generated at build time by build/starter-generator from the component's catalog ({@code "
                        + catalog.catalogFile() + "}): do not edit."));
        out.append("@").append(configuration).append("(proxyBeanMethods = false)\n");
        out.append("@").append(binding).append('\n');
        out.append("public class ").append(catalog.converterName()).append(" implements ").append(converter)
                .append(" {\n\n");
        out.append("    @").append(autowired).append('\n');
        out.append("    private ").append(context).append(" applicationContext;\n\n");
        out.append("    @Override\n");
        out.append("    public Set<ConvertiblePair> getConvertibleTypes() {\n");
        out.append("        Set<ConvertiblePair> answer = new LinkedHashSet<>();\n");
        out.append(pairs);
        out.append("        return answer;\n    }\n\n");
        out.append("    @Override\n");
        out.append("    public Object convert(Object source, ").append(typeDescriptor).append(" sourceType, ")
                .append(typeDescriptor).append(" targetType) {\n");
        out.append("""
                        if (source == null) {
                            return null;
                        }
                        String ref = source.toString();
                        if (!ref.startsWith("#")) {
                            return null;
                        }
                        ref = ref.startsWith("#bean:") ? ref.substring("#bean:".length()) : ref.substring(1);
                        return applicationContext.getBean(ref, targetType.getType());
                    }
                }
                """);
        return out.toString();
    }
}
