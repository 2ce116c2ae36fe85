package io.github.camelwecom.groupmsg.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.corps.CorpRoutes;
import io.github.camelwecom.groupmsg.corps.JdbcCorpSource;
import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;

/**
 * One replica of {@link ReplicasBenchmark}, in a JVM of its own, set up as a service provider would run it: the corps
 * from a table ({@link JdbcCorpSource}), {@link CorpRoutes} over a {@link ZooKeeperClusterService}, one
 * {@code wecom-groupmsg:result} route in follow mode per corp in the shards it owns and leads, and a
 * {@link JdbcStateRepository} on a pooled {@link HikariDataSource}. It does nothing with the records but count them.
 * <p>
 * Arguments: {@code name baseUrl zookeeperConnect sessionTimeoutMillis jdbcUrl delayMillis statusFile}. Every 250 ms it
 * replaces the status file with a JSON object: the corps it owns and those whose consumer runs here, how many of those
 * completed a pass, records, state writes and bytes, live threads. A line {@code measure} on standard input adds the
 * heap used after a full GC and the threads by group, and increments {@code measured}; a line {@code mark} notes the
 * corps it runs then, and from then on {@code callsOfNewCorps} sums the API calls of the corps it runs besides.
 */
public final class CorpReplica {

    static final String TEMPLATE = "wecom-corp";
    static final String CORPS_QUERY = "SELECT corp_id AS \"corpId\", corp_secret AS \"corpSecret\" FROM wecom_corp";

    private final CountingStateRepository state;
    private final CorpRoutes corpRoutes;
    private final CamelContext context = BenchSupport.camel();
    private final AtomicLong records = new AtomicLong();
    private final AtomicInteger measured = new AtomicInteger();
    private final AtomicInteger marks = new AtomicInteger();
    private final Set<String> marked = ConcurrentHashMap.newKeySet();
    /** Set by the commands thread on {@code measure}, read by the status loop. */
    private volatile double heap = -1;
    private volatile Map<String, Integer> groups;

    private CorpReplica(CountingStateRepository state, CorpRoutes corpRoutes) {
        this.state = state;
        this.corpRoutes = corpRoutes;
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String baseUrl = args[1];
        String zookeeperConnect = args[2];
        int sessionTimeoutMillis = Integer.parseInt(args[3]);
        String jdbcUrl = args[4];
        long delayMillis = Long.parseLong(args[5]);
        Path status = Path.of(args[6]);

        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(jdbcUrl);
        dataSource.setMaximumPoolSize(8);
        CountingStateRepository state = new CountingStateRepository(dataSource);

        ZooKeeperClusterService zookeeper = new ZooKeeperClusterService();
        zookeeper.setId(name);
        zookeeper.setNodes(zookeeperConnect);
        zookeeper.setBasePath("/wecom-groupmsg");
        zookeeper.setSessionTimeout(sessionTimeoutMillis);

        CorpRoutes corpRoutes = new CorpRoutes(TEMPLATE, new JdbcCorpSource(dataSource, CORPS_QUERY));
        corpRoutes.setClusterService(zookeeper);

        CorpReplica replica = new CorpReplica(state, corpRoutes);
        replica.addRoutes(zookeeper, baseUrl, delayMillis);
        replica.readCommands();
        replica.context.start();
        ObjectMapper mapper = new ObjectMapper();
        while (true) {
            Path temp = status.resolveSibling(status.getFileName() + ".tmp");
            mapper.writeValue(temp.toFile(), replica.status(mapper));
            Files.move(temp, status, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(250);
        }
    }

    /** The state, the cluster service, {@link CorpRoutes} and the route template each corp's route is made from. */
    private void addRoutes(ZooKeeperClusterService zookeeper, String baseUrl, long delayMillis) throws Exception {
        context.getRegistry().bind("state", state);
        context.addService(state);
        context.addService(zookeeper);
        context.addService(corpRoutes);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                routeTemplate(TEMPLATE).templateParameter("corpId").templateParameter("corpSecret")
                        .from("wecom-groupmsg:result?baseUrl=" + baseUrl
                                + "&corpId={{corpId}}&corpSecret=RAW({{corpSecret}})&startTime=-P3D"
                                + "&stateRepository=#state&delay=" + delayMillis)
                        .process(exchange -> records.incrementAndGet());
            }
        });
    }

    /** Takes {@code measure} and {@code mark} from standard input on a thread of its own; halts when it closes. */
    private void readCommands() {
        Thread commands = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    if ("measure".equals(line.trim())) {
                        heap = BenchSupport.heapAfterGcMb();
                        groups = ManyCorpsBenchmark.threadGroups();
                        measured.incrementAndGet();
                    } else if ("mark".equals(line.trim())) {
                        marked.addAll(corpRoutes.getCorpIds());
                        marks.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                // the benchmark went away: the status loop notices its own end
            }
            Runtime.getRuntime().halt(0); // standard input closed: the benchmark is gone
        }, "replica-commands");
        commands.setDaemon(true);
        commands.start();
    }

    /** What the status file says now. */
    private ObjectNode status(ObjectMapper mapper) {
        ObjectNode s = mapper.createObjectNode();
        List<String> owns = new ArrayList<>(corpRoutes.getCorpIds());
        List<String> polls = new ArrayList<>();
        int passed = 0;
        long callsOfNewCorps = 0;
        for (String corpId : owns) {
            Route route = context.getRoute(corpRoutes.routeId(corpId));
            WecomGroupMsgConsumer consumer = route == null ? null : (WecomGroupMsgConsumer) route.getConsumer();
            if (consumer != null && consumer.isStarted()) {
                polls.add(corpId);
                if (consumer.getPassesCompleted() > 0) {
                    passed++;
                }
                if (marks.get() > 0 && !marked.contains(corpId)) {
                    callsOfNewCorps += consumer.getEndpoint().getStatistics().getCalls().values().stream()
                            .mapToLong(Long::longValue).sum();
                }
            }
        }
        s.putPOJO("owns", owns);
        s.putPOJO("polls", polls);
        s.put("passed", passed);
        s.put("records", records.get());
        s.put("stateWrites", state.writes.get());
        s.put("stateBytesWritten", state.bytes.get());
        s.put("liveThreads", ManagementFactory.getThreadMXBean().getThreadCount());
        s.put("measured", measured.get());
        s.put("marks", marks.get());
        s.put("callsOfNewCorps", callsOfNewCorps);
        s.put("heapAfterGcMb", heap);
        s.putPOJO("threadGroups", groups);
        return s;
    }

    /** What the consumers write to the shared state: how often and how many bytes. */
    static final class CountingStateRepository extends JdbcStateRepository {
        final AtomicLong writes = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        CountingStateRepository(HikariDataSource dataSource) {
            super(dataSource);
        }

        @Override
        public void setState(String key, String value) {
            super.setState(key, value);
            writes.incrementAndGet();
            bytes.addAndGet((long) key.length() + value.length());
        }
    }
}
