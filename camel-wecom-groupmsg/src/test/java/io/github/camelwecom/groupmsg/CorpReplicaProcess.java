package io.github.camelwecom.groupmsg;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

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
 * {@link JdbcStateRepository} on PostgreSQL), and {@code --zookeeper} (connect string), {@code --corps N},
 * {@code --hold-at N} (once N records are written, every route waits on its next record until the JVM is killed).
 * Each record is written as ExportProcess does, with its corp. Every 50 ms the replica rewrites
 * {@code <out>.status}: a line {@code owns <corps>} (corps with a route here), {@code leads <corps>} (those whose
 * wecom-groupmsg consumer runs here) and {@code finished <corps>} (those whose export is complete), corps separated
 * by commas.
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
    static CorpSource corps(int count) {
        return () -> IntStream.range(0, count).mapToObj(CorpReplicaProcess::corpId)
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
        String endpoint = "wecom-groupmsg:" + ExportProcess.required(opts, "endpoint")
                          + "&baseUrl=" + ExportProcess.required(opts, "base-url")
                          + "&corpId={{corpId}}&corpSecret=RAW({{corpSecret}})"
                          + "&initialDelay=0&delay=100&retryDelay=10ms&maxRetryDelay=200ms&stateRepository=#state";

        CamelContext context = new DefaultCamelContext();
        StateRepository<String, String> state;
        if (opts.containsKey("jdbc-url")) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(opts.get("jdbc-url"));
            state = new JdbcStateRepository(dataSource);
        } else {
            state = ExportProcess.stateRepository(opts);
        }
        context.getRegistry().bind("state", state);
        context.addService(state);

        ZooKeeperClusterService zookeeper = new ZooKeeperClusterService();
        zookeeper.setId(emitter);
        zookeeper.setNodes(ExportProcess.required(opts, "zookeeper"));
        zookeeper.setBasePath("/wecom-groupmsg");
        zookeeper.setSessionTimeout(SESSION_TIMEOUT_MILLIS);
        context.addService(zookeeper);

        CorpRoutes corpRoutes = new CorpRoutes(TEMPLATE, corps(Integer.parseInt(ExportProcess.required(opts,
                "corps"))));
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
                                ExportProcess.append(output, mapper, emitter,
                                        routeId.substring(corpRoutes.getRouteIdPrefix().length()), exchange);
                            });
                }
            });
            context.start();
            System.out.println("CorpReplicaProcess " + emitter + ": started");
            System.out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
            while (System.nanoTime() < deadline) {
                writeStatus(context, corpRoutes, status);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            System.err.println("CorpReplicaProcess " + emitter + ": ends after " + maxSeconds + " s");
            Runtime.getRuntime().halt(ExportProcess.EXIT_TIMEOUT);
        } catch (Exception e) {
            e.printStackTrace();
            Runtime.getRuntime().halt(ExportProcess.EXIT_ERROR);
        }
    }

    /** Which corps this replica owns, polls and finished, replaced atomically. */
    private static void writeStatus(CamelContext context, CorpRoutes corpRoutes, Path status) throws Exception {
        Set<String> owns = corpRoutes.getCorpIds();
        TreeSet<String> leads = new TreeSet<>();
        TreeSet<String> finished = new TreeSet<>();
        for (String corpId : owns) {
            Route route = context.getRoute(corpRoutes.routeId(corpId));
            WecomGroupMsgConsumer consumer = route == null ? null : ExportProcess.exportConsumer(route.getConsumer());
            if (consumer != null && consumer.isStarted()) {
                leads.add(corpId);
                if (consumer.isFinished()) {
                    finished.add(corpId);
                }
            }
        }
        Path temp = status.resolveSibling(status.getFileName() + ".tmp");
        Files.writeString(temp, "owns " + String.join(",", owns) + "\nleads " + String.join(",", leads)
                                + "\nfinished " + String.join(",", finished) + "\n", StandardCharsets.UTF_8);
        Files.move(temp, status, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** What a replica's status file says: the corps it owns, those it polls and those it finished. */
    record Status(List<String> owns, List<String> leads, List<String> finished) {
        static Status read(Path out) {
            Path status = out.resolveSibling(out.getFileName() + ".status");
            List<String> owns = new ArrayList<>();
            List<String> leads = new ArrayList<>();
            List<String> finished = new ArrayList<>();
            try {
                if (Files.exists(status)) {
                    for (String line : Files.readAllLines(status)) {
                        List<String> into = line.startsWith("owns ") ? owns
                                : line.startsWith("leads ") ? leads : finished;
                        String list = line.substring(line.indexOf(' ') + 1);
                        if (!list.isEmpty()) {
                            into.addAll(List.of(list.split(",")));
                        }
                    }
                }
            } catch (Exception e) {
                // mid-replace on a file system without atomic moves: read again at the next poll
            }
            return new Status(owns, leads, finished);
        }
    }
}
