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
        files.put(dir + catalog.configurationName() + ".java", ConfigurationWriter.source(catalog));
        files.put(dir + catalog.converterName() + ".java", ConverterWriter.source(catalog));
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
}
