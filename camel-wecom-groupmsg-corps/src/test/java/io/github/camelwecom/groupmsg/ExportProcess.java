package io.github.camelwecom.groupmsg;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.fail;

/**
 * A bounded export in a JVM of its own, so that tests can kill it with SIGKILL and start it again:
 * {@code from("wecom-groupmsg:...&stateRepository=#state")} with a {@link FileStateRepository} or, for replicas, a
 * {@link SharedDirectoryStateRepository}, each record appended to an output file as one JSON line the moment the route
 * processes it, exit 0 once {@link WecomGroupMsgConsumer#isFinished()}. With {@code --cluster-root} the endpoint runs
 * under {@code master:<namespace>:} with a {@link FileLockClusterService}, so of several such JVMs only the leader
 * exports.
 * <p>
 * Arguments ({@code --name value}): {@code --base-url}, {@code --corp-id}, {@code --corp-secret}, {@code --endpoint}
 * (e.g. {@code result?startTime=...&limit=100}), {@code --state} (state file) or {@code --state-dir} (state directory
 * shared by replicas), {@code --out} (output file), {@code --emitter} (name written with each record), optional
 * {@code --cluster-root}, {@code --namespace}, {@code --max-seconds} (the JVM ends itself after that long; default
 * 120), {@code --hold-at N} (the route writes N records and then waits on the next one until the JVM is killed: a test
 * kills it at a known record, however fast the machine), {@code --pause-at N} (the route writes N records and then
 * waits until the test calls {@link Child#resume()}: a test starts something else while the export is at a known
 * record), {@code --jdbc-url} (instead of {@code --state}: a {@link JdbcStateRepository} on that H2 database, one
 * connection kept open the JVM's lifetime as a pool would), {@code --follow true} (the endpoint has no endTime: the JVM
 * is done once the consumer completed a pass that started after this JVM did, instead of once it finished).
 * <p>
 * Like an application (Camel Main does the same) the JVM stops its CamelContext in a shutdown hook: on SIGTERM the
 * consumer stops gracefully and saves its checkpoint, and the hook then prints {@value #STOPPED_BY_HOOK}. A SIGKILL
 * runs no hook.
 * <p>
 * Each output line is {@code {"emitter":..,"at":<epoch millis>,"record":{..}}}, written with one unbuffered write, so
 * that a killed JVM leaves at most an incomplete last line. No fsync: after a SIGKILL the kernel still writes what the
 * process wrote (a machine crash would need one, and is not what these tests do). The JVM also exits when the test JVM
 * is gone (its standard input closes), so that no export outlives the test that started it.
 * <p>
 * {@link Child}, {@link Children} and {@link Output} are the test JVM's side: start such a JVM, kill it, read what it
 * wrote.
 */
public final class ExportProcess {

    static final int EXIT_FINISHED = 0;
    static final int EXIT_TIMEOUT = 3;
    static final int EXIT_ERROR = 4;

    /** Records a page in the export the kill tests run, and so the most a restart may repeat. */
    static final int LIMIT = 100;
    /** The kill tests' {@code --endpoint}: every single-chat send result in {@link SimulatorTestSupport#RANGE}. */
    static final String ENDPOINT = "result?" + SimulatorTestSupport.RANGE + "&limit=" + LIMIT;
    /** Where in a batch a killed run is held: records emitted that no checkpoint covers yet. */
    static final int MID_BATCH = 37;
    /** What the shutdown hook prints once it stopped the CamelContext (SIGTERM), with the records written. */
    static final String STOPPED_BY_HOOK = "stopped by shutdown hook";
    /** A --jdbc-url database's connection held open for the JVM's lifetime, as a connection pool holds one. */
    private static volatile Connection keepAlive;

    private ExportProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        long maxSeconds = Long.parseLong(opts.getOrDefault("max-seconds", "120"));
        watchParent();

        String endpoint = "wecom-groupmsg:" + required(opts, "endpoint")
                + "&baseUrl=" + required(opts, "base-url")
                + "&corpId=" + required(opts, "corp-id")
                + "&corpSecret=RAW(" + required(opts, "corp-secret") + ")"
                + "&initialDelay=0&delay=100&retryDelay=10ms&maxRetryDelay=200ms&stateRepository=#state";
        String clusterRoot = opts.get("cluster-root");
        String from =
                clusterRoot == null ? endpoint : "master:" + opts.getOrDefault("namespace", "wecom") + ":" + endpoint;
        String emitter = required(opts, "emitter");
        long holdAt = Long.parseLong(opts.getOrDefault("hold-at", "0"));
        long pauseAt = Long.parseLong(opts.getOrDefault("pause-at", "0"));
        boolean follow = Boolean.parseBoolean(opts.getOrDefault("follow", "false"));
        Path resumeFile = resumeFile(Path.of(required(opts, "out")));
        AtomicLong written = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        ObjectMapper mapper = WecomClientFactory.newObjectMapper();

        CamelContext context = new DefaultCamelContext();
        StateRepository<String, String> state = stateRepository(opts);
        context.getRegistry().bind("state", state);
        context.addService(state);
        if (clusterRoot != null) {
            FileLockClusterService cluster = new FileLockClusterService();
            cluster.setId(emitter);
            cluster.setRoot(clusterRoot);
            // quick failover: a killed leader's file lock is free at once, its heartbeat counts as stale after 3 x 200 ms
            cluster.setAcquireLockDelay(50, TimeUnit.MILLISECONDS);
            cluster.setAcquireLockInterval(200, TimeUnit.MILLISECONDS);
            cluster.setHeartbeatTimeoutMultiplier(3);
            context.addService(cluster);
        }

        try (FileOutputStream out = new FileOutputStream(required(opts, "out"), true)) {
            // as Camel Main does: SIGTERM stops the context, the consumer saves its checkpoint as it stops
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (done.get()) {
                    return; // the export's own end, which stopped the context already
                }
                context.stop();
                closeDatabase();
                System.out.println("ExportProcess " + emitter + ": " + STOPPED_BY_HOOK + " after " + written.get()
                        + " records");
                System.out.flush();
            }, "export-shutdown"));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(from).routeId("export").process(exchange -> {
                        if (pauseAt > 0 && written.get() == pauseAt && !Files.exists(resumeFile)) {
                            System.out.println("ExportProcess " + emitter + ": pausing at " + pauseAt + " records");
                            System.out.flush();
                            while (!Files.exists(resumeFile)) {
                                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                            }
                        }
                        if (holdAt > 0 && written.get() == holdAt) {
                            System.out.println("ExportProcess " + emitter + ": holding at " + holdAt + " records");
                            System.out.flush();
                            while (true) {
                                LockSupport.park();
                            }
                        }
                        append(out, mapper, emitter, exchange);
                        written.incrementAndGet();
                    });
                }
            });
            // follow mode: a pass that ends after this second (its end is "now" when it opened) was opened by this
            // JVM, not resumed from the checkpoint of one before it
            long startedAt = System.currentTimeMillis() / 1000;
            context.start();
            System.out.println("ExportProcess " + emitter + ": route started");
            System.out.flush();
            Consumer routeConsumer = context.getRoute("export").getConsumer();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(maxSeconds)).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(20)).pollInSameThread().until(() -> {
                            WecomGroupMsgConsumer consumer = exportConsumer(routeConsumer);
                            if (consumer == null) {
                                return false;
                            }
                            if (!follow) {
                                return consumer.isFinished();
                            }
                            // the second pass completed here also started after this JVM did
                            return consumer.getCompleteUpTo() > startedAt || consumer.getPassesCompleted() >= 2;
                        });
            } catch (ConditionTimeoutException e) {
                System.err.println("ExportProcess " + emitter + ": not finished after " + maxSeconds + " s");
                Runtime.getRuntime().halt(EXIT_TIMEOUT);
            }
            done.set(true);
            context.stop();
            closeDatabase();
        } catch (Exception e) {
            e.printStackTrace();
            Runtime.getRuntime().halt(EXIT_ERROR);
        }
        System.out.println("ExportProcess " + emitter + ": export finished after " + written.get() + " records");
        System.exit(EXIT_FINISHED);
    }

    /**
     * {@code --state <file>}: a {@link FileStateRepository}, for one JVM at a time (it reads its file once, when
     * started). {@code --state-dir
     *
    <dir>
     * }: a {@link SharedDirectoryStateRepository}, for replicas that share the state. {@code --jdbc-url <url>}: a
     * {@link JdbcStateRepository} on that H2 database. Added to the context as a service, so that it starts with the
     * JVM, as an application's beans do, and not first when this replica becomes leader: a shared repository that read
     * its store only when started (as a FileStateRepository does) would then miss the checkpoints the leader wrote
     * since, and the test would see it.
     */
    static StateRepository<String, String> stateRepository(Map<String, String> opts) {
        String file = opts.get("state");
        String dir = opts.get("state-dir");
        String jdbcUrl = opts.get("jdbc-url");
        if ((file != null ? 1 : 0) + (dir != null ? 1 : 0) + (jdbcUrl != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException(
                    "expected one of --state <file>, --state-dir <dir> and --jdbc-url <url>");
        }
        if (jdbcUrl != null) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(jdbcUrl);
            try {
                keepAlive = h2.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot open " + jdbcUrl, e);
            }
            return new JdbcStateRepository(h2);
        }
        return file != null ? FileStateRepository.fileStateRepository(new File(file))
                : new SharedDirectoryStateRepository(Path.of(dir));
    }

    /** Closes the {@code --jdbc-url} database, once the CamelContext (and so the state repository) stopped. */
    private static void closeDatabase() {
        Connection connection = keepAlive;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                System.err.println("ExportProcess: closing the state database failed: " + e);
            }
        }
    }

    /** What {@link #ENDPOINT} exports from {@code data}: its ground truth, in the order WeCom serves it. */
    static List<JsonNode> expectedRecords(DataSet data) {
        return data.groundTruth().results("single", SimulatorTestSupport.RANGE_START, SimulatorTestSupport.RANGE_END,
                null, 2).map(ExportAssertions::json).toList();
    }

    /** The file whose existence lets a route paused by {@code --pause-at} go on: next to the output file. */
    static Path resumeFile(Path out) {
        return out.resolveSibling(out.getFileName() + ".resume");
    }

    /** One line per record, in one write() so that a kill leaves at most an incomplete last line. */
    private static void append(FileOutputStream out, ObjectMapper mapper, String emitter, Exchange exchange)
            throws IOException {
        append(out, mapper, emitter, null, exchange);
    }

    /** {@link #append(FileOutputStream, ObjectMapper, String, Exchange)} with the corp the record is of. */
    static void append(FileOutputStream out, ObjectMapper mapper, String emitter, String corp, Exchange exchange)
            throws IOException {
        ObjectNode line = mapper.createObjectNode();
        line.put("emitter", emitter);
        if (corp != null) {
            line.put("corp", corp);
        }
        line.put("at", System.currentTimeMillis());
        line.set("record", mapper.valueToTree(exchange.getMessage().getBody()));
        byte[] bytes = (mapper.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(bytes);
        }
    }

    /** The wecom-groupmsg consumer of the route: the route's own, or the one camel-master started as leader. */
    static WecomGroupMsgConsumer exportConsumer(Consumer consumer) throws ReflectiveOperationException {
        if (consumer instanceof WecomGroupMsgConsumer c) {
            return c;
        }
        // MasterConsumer has no getter for the consumer it starts on taking the leadership
        Field delegated = consumer.getClass().getDeclaredField("delegatedConsumer");
        delegated.setAccessible(true);
        return delegated.get(consumer) instanceof WecomGroupMsgConsumer c ? c : null;
    }

    /**
     * Ends this JVM when the test JVM that started it is gone (its end of our standard input closes). A test JVM that
     * is still there closed it with {@code Process.destroy()}, which also sends SIGTERM: this JVM then stops through
     * its shutdown hook, or ends once the test JVM does.
     */
    static void watchParent() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // the test sends nothing; just wait for end of stream
                }
            } catch (IOException ignored) {
                // treated as the parent being gone
            }
            parent.filter(ProcessHandle::isAlive).ifPresent(p -> p.onExit().join());
            Runtime.getRuntime().halt(EXIT_ERROR);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }

    static String required(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    /** An ExportProcess JVM started by a test: its process, output file and log. */
    static final class Child {
        private static final String LOG_CONFIG = String.join("\n",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss.SSS} [%-15.15t] %-5p %-30.30c{1} - %m%n",
                "rootLogger.level = INFO",
                // each lock attempt a replica makes, so that a test can wait for attempts instead of for time
                "logger.cluster.name = org.apache.camel.component.file.cluster.FileLockClusterView",
                "logger.cluster.level = DEBUG",
                "logger.zookeeper.name = org.apache.zookeeper",
                "logger.zookeeper.level = WARN",
                "rootLogger.appenderRef.console.ref = console", "");

        final String emitter;
        final Process process;
        final Output output;
        final Path log;

        private Child(String emitter, Process process, Output output, Path log) {
            this.emitter = emitter;
            this.process = process;
            this.output = output;
            this.log = log;
        }

        /**
         * Starts {@code java ExportProcess} with the test JVM's own java and class path and a small heap. Its output
         * goes to {@code
         *
        <dir>
         * /<emitter>.jsonl}, its log (stdout and stderr) to {@code
         *
        <dir>
         * /<emitter>.log}; the log4j2 test config the component's test jar brings (which writes
         * target/camel-wecom-groupmsg-test.log) is replaced.
         */
        static Child start(Path dir, String emitter, List<String> args) throws IOException {
            return start(dir, emitter, ExportProcess.class, args);
        }

        /** {@link #start(Path, String, List)} with another main class, which gets the same arguments. */
        static Child start(Path dir, String emitter, Class<?> mainClass, List<String> args) throws IOException {
            Path logConfig = dir.resolve("child-log4j2.properties");
            if (!Files.exists(logConfig)) {
                Files.writeString(logConfig, LOG_CONFIG);
            }
            Path out = dir.resolve(emitter + ".jsonl");
            Path log = dir.resolve(emitter + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dlog4j2.configurationFile=" + logConfig.toAbsolutePath(),
                    "-cp", System.getProperty("java.class.path"),
                    mainClass.getName(),
                    "--emitter", emitter, "--out", out.toString()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            // stdin stays open: the child ends itself when it closes, i.e. when this JVM is gone
            return new Child(emitter, process, new Output(out), log);
        }

        /** SIGKILL (on Linux {@code destroyForcibly} is kill -9), and wait until the process is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(emitter + " did not die after SIGKILL");
            }
        }

        /**
         * SIGTERM ({@code destroy}), and wait until the process is gone: it stops as an application does, its shutdown
         * hook stopping the CamelContext.
         */
        void terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(emitter + " did not end within 60 s of SIGTERM\n" + logTail());
            }
        }

        /** Waits until {@code condition} holds; fails, with the child's log, if the child exits or time runs out. */
        void await(Duration timeout, Callable<Boolean> condition, String what) {
            try {
                Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                        .until(() -> {
                            if (!process.isAlive()) {
                                fail(emitter + " exited with " + process.exitValue() + " while waiting until " + what
                                        + "\n" + logTail());
                            }
                            return condition.call();
                        });
            } catch (ConditionTimeoutException e) {
                fail(emitter + ": timed out waiting until " + what + "\n" + logTail(), e);
            }
        }

        /** Waits until the child has written {@code records} and holds on the next one: a slow machine takes longer. */
        void awaitHeld(long records) {
            await(Duration.ofMinutes(3), () -> logContains("holding at") && output.refresh() == records,
                    "it holds at " + records + " records");
        }

        /** Lets a route paused by {@code --pause-at} go on. */
        void resume() throws IOException {
            Files.createFile(resumeFile(output.file));
        }

        /** Lines of the child's log that contain {@code text}. */
        long logCount(String text) {
            try {
                return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(text)).count() : 0;
            } catch (IOException e) {
                return 0;
            }
        }

        boolean logContains(String text) {
            try {
                return Files.exists(log) && Files.readString(log).contains(text);
            } catch (IOException e) {
                return false;
            }
        }

        /** The last lines of the child's log, for failure messages. */
        String logTail() {
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                return emitter + " log (last 40 lines):\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return emitter + " log unreadable: " + e;
            }
        }
    }

    /**
     * The ExportProcess JVMs one test starts, as a JUnit extension ({@code @RegisterExtension}) that kills those still
     * alive when the test ends, so that a failed test leaves none running.
     */
    static final class Children implements AfterEachCallback {
        private final List<Child> started = new ArrayList<>();

        /** {@link Child#start}, and kill it after the test. */
        Child start(Path dir, String emitter, List<String> args) throws IOException {
            return start(dir, emitter, ExportProcess.class, args);
        }

        /** {@link Child#start(Path, String, Class, List)}, and kill it after the test. */
        Child start(Path dir, String emitter, Class<?> mainClass, List<String> args) throws IOException {
            Child child = Child.start(dir, emitter, mainClass, args);
            started.add(child);
            return child;
        }

        @Override
        public void afterEach(ExtensionContext context) throws InterruptedException {
            for (Child child : started) {
                if (child.process.isAlive()) {
                    child.kill();
                }
            }
            started.clear();
        }
    }

    /**
     * The records an ExportProcess wrote, read as the file grows. An incomplete last line (the JVM was killed while
     * writing it) is not a record: its checkpoint was never saved, so the record comes again.
     */
    static final class Output {
        private static final ObjectMapper MAPPER = WecomClientFactory.newObjectMapper();

        final Path file;
        final List<JsonNode> records = new ArrayList<>();
        final List<Long> emittedAt = new ArrayList<>();
        /** The corp of each record, or null when the process exports one corp. */
        final List<String> corps = new ArrayList<>();
        private long offset;
        private byte[] partial = new byte[0];

        Output(Path file) {
            this.file = file;
        }

        /** Reads what was appended since the last call; returns the number of complete records so far. */
        synchronized int refresh() throws IOException {
            if (!Files.exists(file)) {
                return records.size();
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long length = in.length();
                if (length <= offset) {
                    return records.size();
                }
                byte[] bytes = new byte[partial.length + (int) (length - offset)];
                System.arraycopy(partial, 0, bytes, 0, partial.length);
                in.seek(offset);
                in.readFully(bytes, partial.length, (int) (length - offset));
                offset = length;
                int start = 0;
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] == '\n') { // never inside a multi-byte UTF-8 character
                        JsonNode line = MAPPER.readTree(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                        records.add(line.get("record"));
                        emittedAt.add(line.get("at").asLong());
                        corps.add(line.hasNonNull("corp") ? line.get("corp").asText() : null);
                        start = i + 1;
                    }
                }
                partial = Arrays.copyOfRange(bytes, start, bytes.length);
            }
            return records.size();
        }

        synchronized int size() {
            return records.size();
        }
    }
}
