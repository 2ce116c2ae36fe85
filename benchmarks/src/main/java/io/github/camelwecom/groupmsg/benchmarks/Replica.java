package io.github.camelwecom.groupmsg.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A replica JVM of {@link ReplicasBenchmark}, its status file and the pipe it takes commands from. */
final class Replica {
    static final ObjectMapper MAPPER = new ObjectMapper();

    final String name;
    final Process process;
    final Path statusFile;
    final Path log;
    private final OutputStream commands;

    /** What a replica's status file says ({@link CorpReplica}). */
    record Status(List<String> owns, List<String> polls, int passed, long stateWrites, long stateBytesWritten,
            int liveThreads, int measured, double heapAfterGcMb, Map<String, Integer> threadGroups, int marks,
            long callsOfNewCorps) {
    }

    interface Condition {
        boolean met() throws Exception;
    }

    private Replica(String name, Process process, Path statusFile, Path log) {
        this.name = name;
        this.process = process;
        this.statusFile = statusFile;
        this.log = log;
        this.commands = process.getOutputStream();
    }

    static Replica start(String name, Path dir, String baseUrl, String zookeeper, String jdbcUrl)
            throws IOException {
        Path status = dir.resolve(name + ".status");
        Path log = dir.resolve(name + ".log");
        Files.deleteIfExists(status);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.log.io.github.camelwecom.groupmsg.corps=info",
                "-cp", System.getProperty("java.class.path"), CorpReplica.class.getName(), name,
                baseUrl, zookeeper, String.valueOf(ReplicasBenchmark.SESSION_TIMEOUT_MILLIS), jdbcUrl,
                String.valueOf(ReplicasBenchmark.DELAY_MILLIS), status.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Replica(name, p, status, log);
    }

    Status status() throws IOException {
        if (!Files.exists(statusFile)) {
            return new Status(List.of(), List.of(), 0, 0, 0, 0, 0, -1, Map.of(), 0, 0);
        }
        JsonNode s = MAPPER.readTree(statusFile.toFile());
        return new Status(strings(s.get("owns")), strings(s.get("polls")), s.get("passed").asInt(),
                s.get("stateWrites").asLong(), s.get("stateBytesWritten").asLong(), s.get("liveThreads").asInt(),
                s.get("measured").asInt(), s.get("heapAfterGcMb").asDouble(),
                s.get("threadGroups").isNull() ? Map.of()
                        : MAPPER.convertValue(s.get("threadGroups"), MAPPER.getTypeFactory()
                                .constructMapType(TreeMap.class, String.class, Integer.class)),
                s.get("marks").asInt(), s.get("callsOfNewCorps").asLong());
    }

    void command(String line) throws IOException {
        commands.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
    }

    void stop() {
        process.destroy();
    }

    /** Waits up to 10 minutes for {@code condition}; fails at once when one of {@code replicas} has exited. */
    static void await(List<Replica> replicas, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!condition.met()) {
            for (Replica r : replicas) {
                if (!r.process.isAlive()) {
                    throw new IllegalStateException(r.name + " exited while waiting for " + what + "; see " + r.log);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Tells each replica to collect its garbage and count its threads, and records what they report. */
    static void measure(List<Replica> replicas, String phase, Map<String, Object> out) throws Exception {
        for (Replica r : replicas) {
            int before = r.status().measured();
            r.command("measure");
            await(replicas, r.name + " measured", () -> r.status().measured() > before);
            Status s = r.status();
            String key = phase + "Replica" + r.name.substring(r.name.lastIndexOf('-') + 1);
            out.put(key + "Corps", s.polls().size());
            out.put(key + "Threads", s.liveThreads());
            out.put(key + "HeapAfterGcMb", BenchSupport.round(s.heapAfterGcMb(), 1));
            System.out.printf("  %s: %d corps, %d threads, heap after GC %.1f MB; threads by group %s%n", r.name,
                    s.polls().size(), s.liveThreads(), s.heapAfterGcMb(), s.threadGroups());
        }
    }

    static int passed(List<Replica> replicas) throws IOException {
        int n = 0;
        for (Replica r : replicas) {
            n += r.status().passed();
        }
        return n;
    }

    static long stateWrites(List<Replica> replicas) throws IOException {
        long n = 0;
        for (Replica r : replicas) {
            n += r.status().stateWrites();
        }
        return n;
    }

    static long stateBytes(List<Replica> replicas) throws IOException {
        long n = 0;
        for (Replica r : replicas) {
            n += r.status().stateBytesWritten();
        }
        return n;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
