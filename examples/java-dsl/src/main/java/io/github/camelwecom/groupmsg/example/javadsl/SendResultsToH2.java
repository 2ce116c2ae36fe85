package io.github.camelwecom.groupmsg.example.javadsl;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.camelwecom.groupmsg.TimeSpec;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.example.EmbeddedWecom;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * A plain Java main: a {@link DefaultCamelContext} with {@link SendResultsToH2Route}, which upserts WeCom send results
 * into the H2 table {@value SendResultTable#TABLE}; at the end it prints the table's row count and rows per status.
 *
 * <p>
 * Settings come from the environment: {@code WECOM_CORP_ID} and {@code WECOM_CORP_SECRET} (without both, an embedded
 * WeCom simulator is exported and the table is checked against its ground truth), {@code WECOM_BASE_URL},
 * {@code WECOM_CHAT_TYPE}, {@code WECOM_START_TIME}, {@code WECOM_END_TIME}, {@code WECOM_DB_URL} (default an in-memory
 * database; e.g. {@code jdbc:h2:./wecom-groupmsg} keeps the table in a file between runs),
 * {@code WECOM_SIMULATOR_DATASET} ({@code small}, {@code demo}, {@code large}) and {@code WECOM_FOLLOW=true} (no end:
 * keep following new send results, and track the messages of the last {@code WECOM_TRACK_CHANGES_FOR}, until Ctrl+C). A
 * bounded export exits 0 once the range was read to its end, and 1 if a poll failed (the WARN above says why; running
 * again is safe: rows are upserted).
 */
public final class SendResultsToH2 {

    /** The environment variables read, each with the Camel property it sets. */
    static final Map<String, String> ENV_PROPERTIES = Map.of(
            "WECOM_CHAT_TYPE", "wecom.chat-type",
            "WECOM_START_TIME", "wecom.start-time",
            "WECOM_END_TIME", "wecom.end-time",
            "WECOM_TRACK_CHANGES_FOR", "wecom.track-changes-for",
            "WECOM_BASE_URL", "wecom.base-url",
            "WECOM_CORP_ID", "wecom.corp-id",
            "WECOM_CORP_SECRET", "wecom.corp-secret");

    static final String DEFAULT_DB_URL = "jdbc:h2:mem:wecom-groupmsg;DB_CLOSE_DELAY=-1";

    private SendResultsToH2() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(System.getenv(), System.out);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The route's properties: defaults, overridden by the variables of {@link #ENV_PROPERTIES} set in {@code env}. */
    public static Properties settings(Map<String, String> env) {
        Properties settings = new Properties();
        settings.setProperty("wecom.chat-type", "single");
        settings.setProperty("wecom.start-time", "2025-09-01");
        settings.setProperty("wecom.end-time", "2025-12-31T23:59:59");
        settings.setProperty("wecom.time-zone", "Asia/Shanghai");
        settings.setProperty("wecom.track-changes-for", "P3D");
        settings.setProperty("wecom.poll-delay", "60000");
        settings.setProperty("wecom.base-url", "https://qyapi.weixin.qq.com");
        ENV_PROPERTIES.forEach((variable, property) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                settings.setProperty(property, value.trim());
            }
        });
        if (Boolean.parseBoolean(env.get("WECOM_FOLLOW"))) {
            settings.remove("wecom.end-time");
        }
        return settings;
    }

    /** A CamelContext, not yet started, with the route and {@code database} bound as {@code wecomDb}. */
    public static CamelContext createContext(Properties settings, DataSource database) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(settings);
        context.getRegistry().bind("wecomDb", database);
        context.addRoutes(new SendResultsToH2Route());
        return context;
    }

    /** Exports as {@code env} says into the database, prints the summary to {@code out}; returns the exit status. */
    static int run(Map<String, String> env, PrintStream out) throws Exception {
        Properties settings = settings(env);
        WecomSimulator simulator = EmbeddedWecom.startUnlessCredentials(settings, env, out);
        String dbUrl = env.getOrDefault("WECOM_DB_URL", DEFAULT_DB_URL);
        JdbcConnectionPool database = JdbcConnectionPool.create(closedByThisApp(dbUrl), "sa", "");
        try {
            SendResultTable.create(database);
            boolean follow = !settings.containsKey("wecom.end-time");
            CountDownLatch reported = new CountDownLatch(1);
            long startNanos = System.nanoTime();
            boolean finished;
            try (CamelContext context = createContext(settings, database)) {
                context.start();
                WecomGroupMsgConsumer consumer =
                        (WecomGroupMsgConsumer) context.getRoute(SendResultsToH2Route.ROUTE_ID).getConsumer();
                finished = follow ? untilStopped(reported) : untilFinishedOrFailed(consumer);
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            try {
                return report(out, settings, dbUrl, database, seconds, finished, follow, simulator);
            } finally {
                reported.countDown();
            }
        } finally {
            database.dispose();
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    /**
     * The H2 URL with H2's own close-on-exit turned off: after Ctrl+C in follow mode the app still reads the table for
     * its summary, and then closes the database itself by disposing of the pool.
     */
    static String closedByThisApp(String dbUrl) {
        return dbUrl.startsWith("jdbc:h2:") && !dbUrl.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")
                ? dbUrl + ";DB_CLOSE_ON_EXIT=FALSE"
                : dbUrl;
    }

    /** Waits until the bounded export was read to its end (true) or a poll failed after its retries (false). */
    private static boolean untilFinishedOrFailed(WecomGroupMsgConsumer consumer) throws InterruptedException {
        while (!consumer.isFinished()) {
            if (consumer.getErrorCounter() > 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * Follow mode: runs until the JVM is asked to stop (Ctrl+C); the shutdown hook then waits, at most 30 s, until
     * {@code reported} says the summary was printed.
     */
    private static boolean untilStopped(CountDownLatch reported) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                reported.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wecom-shutdown"));
        System.out.println("Following new send results; Ctrl+C stops and prints the table's summary.");
        stop.await();
        return false;
    }

    private static int report(PrintStream out, Properties settings, String dbUrl, DataSource database,
            double seconds, boolean finished, boolean follow, WecomSimulator simulator) throws Exception {
        long rows = SendResultTable.count(database);
        Map<Integer, Long> byStatus = SendResultTable.countByStatus(database);
        out.println();
        out.println("=== WeCom send results in " + SendResultTable.TABLE + " ===");
        out.printf(Locale.ROOT, "chatType=%s range=%s .. %s (%s) from %s (corp %s) into %s, %.1f s%n",
                settings.getProperty("wecom.chat-type"), settings.getProperty("wecom.start-time"),
                settings.getProperty("wecom.end-time", "(following)"), settings.getProperty("wecom.time-zone"),
                settings.getProperty("wecom.base-url"), settings.getProperty("wecom.corp-id"), dbUrl, seconds);
        out.println("rows: " + rows);
        byStatus.forEach((status, count) -> out.printf(Locale.ROOT, "  status %d (%s)%s %d%n", status,
                SendResultTable.STATUS.getOrDefault(status, "unknown"),
                " ".repeat(Math.max(1, 48 - SendResultTable.STATUS.getOrDefault(status, "unknown").length())),
                count));
        out.println("rows by last change: " + SendResultTable.countByLastChange(database));
        if (follow) {
            return 0;
        }
        out.println("range read to its end: " + (finished ? "yes" : "no: a poll failed (see the WARN above)"));
        boolean complete = finished;
        if (simulator != null) {
            // the exported range's rows (the table may hold others, from earlier runs) against the simulator's truth
            ZoneId zone = ZoneId.of(settings.getProperty("wecom.time-zone"));
            String chatType = settings.getProperty("wecom.chat-type");
            long start = TimeSpec.parse(settings.getProperty("wecom.start-time"), zone, Clock.systemUTC());
            long end = TimeSpec.parse(settings.getProperty("wecom.end-time"), zone, Clock.systemUTC());
            Map<Integer, Long> expected = simulator.dataSet().groundTruth().results(chatType, start, end, null, 2)
                    .collect(Collectors.groupingBy(r -> r.get("status").asInt(), TreeMap::new, Collectors.counting()));
            Map<Integer, Long> actual = new TreeMap<>(SendResultTable.countByStatus(database, chatType, start, end));
            boolean equal = expected.equals(actual);
            complete &= equal;
            out.printf(Locale.ROOT, "simulator ground truth: %d send results by status %s -> table %s%n",
                    expected.values().stream().mapToLong(Long::longValue).sum(), expected,
                    equal ? "COMPLETE" : "DIFFERENT: " + actual);
        }
        return complete ? 0 : 1;
    }

}
