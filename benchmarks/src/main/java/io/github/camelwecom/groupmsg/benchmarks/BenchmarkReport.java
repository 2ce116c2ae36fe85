package io.github.camelwecom.groupmsg.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs every {@code *Benchmark} class of this package, each in its own JVM ({@link BenchmarkRuns}), reads their JSON
 * results, prints one table and writes {@code camel-wecom-groupmsg/src/main/docs/benchmarks.adoc}
 * ({@link BenchmarkPage}) and {@code benchmarks.png} ({@link BenchmarkChart}).
 * <p>
 * {@code mvn -B -q -Pbenchmarks -DskipTests package -pl benchmarks -am} (from the repository root).
 */
public final class BenchmarkReport {

    public static void main(String[] args) throws Exception {
        Path classes = Path.of(BenchmarkReport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path module = classes.getParent().getParent(); // benchmarks/target/classes → benchmarks
        Path repo = module.getParent();
        Path results = module.resolve("target/results");
        Files.createDirectories(results);
        try (Stream<Path> old = Files.list(results)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        List<String> failed = BenchmarkRuns.runAll(classes, repo, results);
        Map<String, Map<String, String>> figures = readFigures(results);

        String machine = Runtime.getRuntime().availableProcessors() + " processors, Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        System.out.println();
        System.out.println("Benchmarks, " + date + ", " + machine);
        System.out.print(table(figures));
        failed.forEach(f -> System.out.println("FAILED: " + f));
        List<String> targets = Targets.of(figures);
        System.out.println();
        targets.forEach(System.out::println);

        Path docs = repo.resolve("camel-wecom-groupmsg/src/main/docs");
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("benchmarks.adoc"), BenchmarkPage.adoc(figures, machine, date, failed, targets),
                StandardCharsets.UTF_8);
        BenchmarkChart.chart(figures, machine, date, docs.resolve("benchmarks.png"));
        System.out.println("wrote " + docs.resolve("benchmarks.adoc") + " and benchmarks.png");
    }

    /** Each {@code <benchmark>.json}, by name, as its figures formatted for the page: large numbers with commas. */
    static Map<String, Map<String, String>> readFigures(Path results) throws Exception {
        Map<String, Map<String, String>> figures = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(results)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode node = mapper.readTree(f.toFile());
                Map<String, String> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    boolean integral = v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble())
                            && Math.abs(v.asDouble()) >= 100;
                    row.put(e.getKey(), integral ? String.format("%,d", v.asLong())
                            : v.isNumber() ? String.valueOf(v.asDouble()) : v.asText());
                }
                figures.put(f.getFileName().toString().replace(".json", ""), row);
            }
        }
        return figures;
    }

    /** One line per figure: benchmark, figure, value. */
    static String table(Map<String, Map<String, String>> figures) {
        StringBuilder table = new StringBuilder();
        int width = figures.values().stream().flatMap(m -> m.keySet().stream()).mapToInt(String::length).max()
                .orElse(10);
        for (Map.Entry<String, Map<String, String>> b : figures.entrySet()) {
            for (Map.Entry<String, String> e : b.getValue().entrySet()) {
                table.append(String.format("%-10s %-" + width + "s %s%n", b.getKey(), e.getKey(), e.getValue()));
            }
        }
        return table.toString();
    }

    /** A figure as the page shows it ("1,234", "0.5"), as a number; null when it is none. */
    static Double number(String s) {
        try {
            return Double.valueOf(s.replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private BenchmarkReport() {
    }
}
