package io.github.camelwecom.groupmsg.benchmarks;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs every {@code *Benchmark} class with a static main, each in a JVM of its own with the arguments its static
 * {@code String[] jvmArgs()} returns (if it has one), writing its JSON results where {@link BenchmarkReport} reads
 * them.
 */
final class BenchmarkRuns {
    static final long TIMEOUT_MINUTES = 30;

    private BenchmarkRuns() {
    }

    /** Runs them one after the other from {@code repo}; returns those that failed, each with why. */
    static List<String> runAll(Path classes, Path repo, Path results) throws Exception {
        String classpath = classpath();
        List<String> failed = new ArrayList<>();
        for (String name : benchmarkClasses(classes)) {
            Class<?> type = Class.forName(BenchmarkReport.class.getPackageName() + "." + name);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of(jvmArgs(type)));
            cmd.add("-Dbenchmarks.results=" + results);
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(type.getName());
            System.out.println("== " + name + " " + String.join(" ", jvmArgs(type)));
            Process p = new ProcessBuilder(cmd).directory(repo.toFile()).inheritIO().start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                failed.add(name + " (timed out after " + TIMEOUT_MINUTES + " min)");
            } else if (p.exitValue() != 0) {
                failed.add(name + " (exit " + p.exitValue() + ")");
            }
        }
        return failed;
    }

    static String[] jvmArgs(Class<?> type) {
        try {
            Method m = type.getDeclaredMethod("jvmArgs");
            if (Modifier.isStatic(m.getModifiers())) {
                m.setAccessible(true);
                return (String[]) m.invoke(null);
            }
        } catch (NoSuchMethodException e) {
            // no special JVM arguments
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + ".jvmArgs()", e);
        }
        return new String[0];
    }

    static List<String> benchmarkClasses(Path classes) throws Exception {
        Path dir = classes.resolve(BenchmarkReport.class.getPackageName().replace('.', '/'));
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith("Benchmark.class") && !file.contains("$")) {
                    String name = file.substring(0, file.length() - ".class".length());
                    Class<?> type = Class.forName(BenchmarkReport.class.getPackageName() + "." + name);
                    try {
                        Method main = type.getMethod("main", String[].class);
                        if (Modifier.isStatic(main.getModifiers())) {
                            names.add(name);
                        }
                    } catch (NoSuchMethodException e) {
                        // not runnable
                    }
                }
            }
        }
        return names;
    }

    /** Under exec:java the project's classpath is the context class loader's, not java.class.path. */
    static String classpath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (ClassLoader cl = BenchmarkReport.class.getClassLoader(); cl != null; cl = cl.getParent()) {
            if (cl instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    entries.add(new File(url.toURI()).getPath());
                }
                break;
            }
        }
        if (entries.isEmpty()) {
            return System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, entries);
    }
}
