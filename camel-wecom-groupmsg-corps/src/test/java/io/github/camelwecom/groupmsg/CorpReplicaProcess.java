package io.github.camelwecom.groupmsg;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import io.github.camelwecom.groupmsg.corps.CorpRoutes;
import io.github.camelwecom.groupmsg.corps.CorpSource;
import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.spi.StateRepository;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One replica of a service provider's export of many corps, in a JVM of its own: {@link CorpRoutes} with a
 * {@link ZooKeeperClusterService} (id: the emitter) runs the routes of the corps in the shards this replica owns and
 * leads, each a route from the template {@code wecom-groupmsg:...}. Every replica lists the same corps ({@link #corps})
 * and shares the state.
 * <p>
 * Arguments as {@link ExportProcess} ({@code --base-url}, {@code --endpoint}, {@code --out}, {@code --emitter},
 * {@code --max-seconds}, and {@code --state-dir} for a shared directory) or {@code --jdbc-url} (a
 * {@link JdbcStateRepository} on PostgreSQL, its table {@code --state-table}), and {@code --zookeeper} (connect
 * string), {@code --zookeeper-path} (the cluster service's base path, default {@code /wecom-groupmsg}),
 * {@code --corps N} (the corps {@link #corpId} 0 to N - 1) or {@code --corp-ids <corps>}, {@code --hold-at N} (once N
 * records are written, every route waits on its next record until the JVM is killed), {@code --pause-at-record <json>}
 * with {@code --pause-corps <corps>} (see below).
 * <p>
 * Each route calls WeCom at {@code <base-url>/<emitter>/t<n>}, n counting the routes this replica made: the simulator
 * logs that path as the caller, so a test sees which replica polled a corp and in which of its tenures (a route lives
 * from the shard's leadership to its loss).
 * <p>
 * A route pauses before the record {@code --pause-at-record} (its JSON as written to the output) until the file
 * {@code <out>.resume} exists: a corp of {@code --pause-corps} waits on it (the poll, and so the checkpoint, stays
 * where it is mid-batch), any other corp fails the record, so that it is read again at the next poll and the route
 * still hands the corp over at once when another replica should have it. Every corp thus waits at that record in the
 * replica the test names, however fast the machine and whoever exported the corp before.
 * <p>
 * Each record is written as ExportProcess does, with its corp. Every 50 ms the replica rewrites {@code <out>.status}: a
 * line {@code owns <corps>} (corps with a route here), {@code leads <corps>} (those whose wecom-groupmsg consumer runs
 * here), {@code finished <corps>} (those whose export is complete), {@code passed <corps>} (those whose consumer here
 * completed a pass: in follow mode, read up to its start's now) and {@code paused <corps>} (those waiting at the pause
 * record), corps separated by commas.
 */
public final class CorpReplicaProcess {

    static final String TEMPLATE = "wecom-corp";
    /** How often each replica reads the members: ZooKeeper's view does not tell when they change. */
    static final Duration MEMBERSHIP_CHECK = Duration.ofMillis(200);
    /** ZooKeeper session: a killed replica's corps are free once it expires. */
    static final int SESSION_TIMEOUT_MILLIS = 5000;

    private CorpReplicaProcess() {
    }

    static String corpId(int i) {
        return String.format("ww-corp-%02d", i);
    }

    static String corpSecret(String corpId) {
        return "secret-of-" + corpId + "-0123456789";
    }

    /** The corps every replica exports: the same list everywhere. */
    static CorpSource corps(List<String> corpIds) {
        return () -> corpIds.stream()
                .map(id -> Map.<String, Object>of(CorpSource.CORP_ID, id, "corpSecret", corpSecret(id))).toList();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = ExportProcess.parse(args);
        long maxSeconds = Long.parseLong(opts.getOrDefault("max-seconds", "120"));
        ExportProcess.watchParent();
        String emitter = ExportProcess.required(opts, "emitter");
        Path out = Path.of(ExportProcess.required(opts, "out"));
        Path status = out.resolveSibling(out.getFileName() + ".status");
        long holdAt = Long.parseLong(opts.getOrDefault("hold-at", "0"));
        AtomicLong slots = new AtomicLong();
        AtomicBoolean holding = new AtomicBoolean();
        ObjectMapper mapper = WecomClientFactory.newObjectMapper();
        JsonNode pauseRecord = opts.containsKey("pause-at-record") ? mapper.readTree(opts.get("pause-at-record"))
                : null;
        Set<String> pauseCorps = Set.of(opts.getOrDefault("pause-corps", "").split(","));
        Path resume = ExportProcess.resumeFile(out);
        Set<String> paused = ConcurrentHashMap.newKeySet();
        String endpoint = "wecom-groupmsg:" + ExportProcess.required(opts, "endpoint")
                + "&baseUrl=" + ExportProcess.required(opts, "base-url") + "/" + emitter + "/{{tenure:n}}"
                + "&corpId={{corpId}}&corpSecret=RAW({{corpSecret}})"
                + "&initialDelay=0&delay=100&retryDelay=10ms&maxRetryDelay=200ms&stateRepository=#state";

        CamelContext context = new DefaultCamelContext();
        AtomicInteger tenures = new AtomicInteger();
        // resolved once per route made from the template: each route calls WeCom under a path of its own
        context.getPropertiesComponent().addPropertiesFunction(new PropertiesFunction() {
            @Override
            public String getName() {
                return "tenure";
            }

            @Override
            public String apply(String remainder) {
                return "t" + tenures.incrementAndGet();
            }
        });
        StateRepository<String, String> state;
        if (opts.containsKey("jdbc-url")) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(opts.get("jdbc-url"));
            // a stopped database refuses connections at once; a hung one must not hold a poll for long
            dataSource.setConnectTimeout(2);
            dataSource.setSocketTimeout(10);
            state = new JdbcStateRepository(dataSource, opts.getOrDefault("state-table",
                    JdbcStateRepository.DEFAULT_TABLE_NAME));
        } else {
            state = ExportProcess.stateRepository(opts);
        }
        context.getRegistry().bind("state", state);
        context.addService(state);

        ZooKeeperClusterService zookeeper = new ZooKeeperClusterService();
        zookeeper.setId(emitter);
        zookeeper.setNodes(ExportProcess.required(opts, "zookeeper"));
        zookeeper.setBasePath(opts.getOrDefault("zookeeper-path", "/wecom-groupmsg"));
        zookeeper.setSessionTimeout(SESSION_TIMEOUT_MILLIS);
        context.addService(zookeeper);

        // --corps N: the first N of corpId(i); --corp-ids: those
        List<String> corpIds = opts.containsKey("corp-ids") ? List.of(opts.get("corp-ids").split(","))
                : IntStream.range(0, Integer.parseInt(ExportProcess.required(opts, "corps")))
                        .mapToObj(CorpReplicaProcess::corpId).toList();
        CorpRoutes corpRoutes = new CorpRoutes(TEMPLATE, corps(corpIds));
        corpRoutes.setClusterService(zookeeper);
        corpRoutes.setMembershipCheckInterval(MEMBERSHIP_CHECK);
        context.addService(corpRoutes);

        try (FileOutputStream output = new FileOutputStream(out.toFile(), true)) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    routeTemplate(TEMPLATE).templateParameter("corpId").templateParameter("corpSecret")
                            .from(endpoint)
                            .process(exchange -> {
                                if (holdAt > 0 && slots.getAndIncrement() >= holdAt) {
                                    if (holding.compareAndSet(false, true)) {
                                        System.out.println("CorpReplicaProcess " + emitter + ": holding at " + holdAt
                                                + " records");
                                        System.out.flush();
                                    }
                                    while (true) {
                                        LockSupport.park();
                                    }
                                }
                                String routeId = exchange.getFromRouteId();
                                String corp = routeId.substring(corpRoutes.getRouteIdPrefix().length());
                                // compared as the test reads it back: parsed from the JSON written
                                if (pauseRecord != null && !Files.exists(resume) && pauseRecord.equals(
                                        mapper.readTree(mapper.writeValueAsString(exchange.getMessage().getBody())))) {
                                    if (!pauseCorps.contains(corp)) {
                                        throw new NotYet(corp);
                                    }
                                    paused.add(corp);
                                    awaitFile(resume);
                                    paused.remove(corp);
                                }
                                ExportProcess.append(output, mapper, emitter, corp, exchange);
                            });
                }
            });
            context.start();
            System.out.println("CorpReplicaProcess " + emitter + ": started");
            System.out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
            while (System.nanoTime() < deadline) {
                writeStatus(context, corpRoutes, status, paused);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            System.err.println("CorpReplicaProcess " + emitter + ": ends after " + maxSeconds + " s");
            Runtime.getRuntime().halt(ExportProcess.EXIT_TIMEOUT);
        } catch (Exception e) {
            e.printStackTrace();
            Runtime.getRuntime().halt(ExportProcess.EXIT_ERROR);
        }
    }

    /** Waits until {@code file} exists, through interrupts (a route stopped meanwhile waits for its poll). */
    private static void awaitFile(Path file) {
        boolean interrupted = false;
        while (!Files.exists(file)) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Which corps this replica owns, polls, finished, passed and holds at the pause record, replaced atomically. */
    private static void writeStatus(CamelContext context, CorpRoutes corpRoutes, Path status, Set<String> paused)
            throws Exception {
        Set<String> owns = corpRoutes.getCorpIds();
        TreeSet<String> leads = new TreeSet<>();
        TreeSet<String> finished = new TreeSet<>();
        TreeSet<String> passed = new TreeSet<>();
        for (String corpId : owns) {
            Route route = context.getRoute(corpRoutes.routeId(corpId));
            WecomGroupMsgConsumer consumer = route == null ? null : ExportProcess.exportConsumer(route.getConsumer());
            if (consumer != null && consumer.isStarted()) {
                leads.add(corpId);
                if (consumer.isFinished()) {
                    finished.add(corpId);
                }
                if (consumer.getPassesCompleted() > 0) {
                    passed.add(corpId);
                }
            }
        }
        Path temp = status.resolveSibling(status.getFileName() + ".tmp");
        Files.writeString(temp, "owns " + String.join(",", owns) + "\nleads " + String.join(",", leads)
                + "\nfinished " + String.join(",", finished) + "\npassed " + String.join(",", passed)
                + "\npaused " + String.join(",", new TreeSet<>(paused)) + "\n",
                StandardCharsets.UTF_8);
        Files.move(temp, status, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A record a replica may not take yet: read again at the next poll. No stack trace: it is no failure. */
    private static final class NotYet extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotYet(String corp) {
            super("the pause record of " + corp + " is for another replica", null, false, false);
        }
    }

    /** What a replica's status file says: the corps it owns, polls, finished, passed and holds at the pause. */
    record Status(List<String> owns, List<String> leads, List<String> finished, List<String> passed,
            List<String> paused) {
        static Status read(Path out) {
            Path status = out.resolveSibling(out.getFileName() + ".status");
            Map<String, List<String>> lines = new HashMap<>();
            for (String name : List.of("owns", "leads", "finished", "passed", "paused")) {
                lines.put(name, new ArrayList<>());
            }
            try {
                if (Files.exists(status)) {
                    for (String line : Files.readAllLines(status)) {
                        List<String> into = lines.get(line.substring(0, Math.max(0, line.indexOf(' '))));
                        String list = line.substring(line.indexOf(' ') + 1);
                        if (into != null && !list.isEmpty()) {
                            into.addAll(List.of(list.split(",")));
                        }
                    }
                }
            } catch (Exception e) {
                // mid-replace on a file system without atomic moves: read again at the next poll
            }
            return new Status(lines.get("owns"), lines.get("leads"), lines.get("finished"), lines.get("passed"),
                    lines.get("paused"));
        }
    }
}
