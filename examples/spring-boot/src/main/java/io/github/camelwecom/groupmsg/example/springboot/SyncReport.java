package io.github.camelwecom.groupmsg.example.springboot;

import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.camelwecom.groupmsg.TimeSpec;
import io.github.camelwecom.groupmsg.WecomGroupMsgConfiguration;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.WecomGroupMsgEndpoint;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Watches the sync, called by the {@code sync-report} timer route: logs the row count while it changes, and once both
 * consumers have read a bounded range to its end, a summary (with the simulator: the row count against its ground
 * truth). With {@code wecom.exit-when-done=true} the app then stops, with exit status 0 when the range was read to its
 * end and, with the simulator, every send result has its row.
 */
@Component
public class SyncReport {

    static final String TABLE = "wecom_groupmsg_send_result";
    /** WeCom's send-result statuses. */
    static final Map<Integer, String> STATUS = Map.of(0, "not sent", 1, "sent", 2, "failed: not a contact", 3,
            "failed: customer already got a mass message");
    private static final Logger LOG = LoggerFactory.getLogger(SyncReport.class);

    private final CamelContext camelContext;
    private final JdbcTemplate jdbc;
    private final ObjectProvider<WecomSimulator> simulator;
    private final ConfigurableApplicationContext applicationContext;
    private final Environment environment;
    private final boolean exitWhenDone;

    private long lastRows = -1;
    private volatile boolean reported;
    private volatile Boolean complete;

    public SyncReport(CamelContext camelContext, JdbcTemplate jdbc, ObjectProvider<WecomSimulator> simulator,
            ConfigurableApplicationContext applicationContext, Environment environment,
            @Value("${wecom.exit-when-done:false}") boolean exitWhenDone) {
        this.camelContext = camelContext;
        this.jdbc = jdbc;
        this.simulator = simulator;
        this.applicationContext = applicationContext;
        this.environment = environment;
        this.exitWhenDone = exitWhenDone;
    }

    /** Whether every consumer has read its bounded range to its end (never, in follow mode). */
    public boolean isFinished() {
        return SendResultRoutes.CHAT_TYPES.stream().allMatch(chatType -> consumer(chatType).isFinished());
    }

    /** After the summary: whether the table is complete; null before. */
    public Boolean isComplete() {
        return complete;
    }

    public synchronized void check() {
        if (reported) {
            return;
        }
        boolean finished = isFinished();
        long rows = rowCount();
        if (finished) {
            reported = true;
            complete = report(rows);
            if (exitWhenDone) {
                int status = complete ? 0 : 1;
                // not on this route's thread: stopping Camel waits for the exchange that is running here
                new Thread(() -> System.exit(SpringApplication.exit(applicationContext, () -> status)),
                        "wecom-sync-exit").start();
            }
        } else if (rows != lastRows) {
            LOG.info("{} rows in {} ({} send results received)", rows, TABLE, received());
        }
        lastRows = rows;
    }

    private boolean report(long rows) {
        WecomGroupMsgConfiguration config = endpoint("single").getConfiguration();
        WecomSimulator sim = simulator.getIfAvailable();
        StringBuilder out = new StringBuilder("\n=== WeCom send results -> H2 table " + TABLE + " ===\n");
        out.append(String.format(Locale.ROOT, "source: %s at %s (corp %s), create_time %s .. %s (%s)%n",
                sim != null ? "the embedded WeCom simulator" : "WeCom", config.getBaseUrl(), config.getCorpId(),
                config.getStartTime(), config.getEndTime(), config.getTimeZone()));
        Map<String, Long> byChatType = new LinkedHashMap<>();
        SendResultRoutes.CHAT_TYPES.forEach(t -> byChatType.put(t, consumer(t).getRecordsEmitted()));
        out.append(
                String.format(Locale.ROOT, "send results received: %d %s, read to the end %.1f s after Camel started%n",
                        received(), byChatType, camelContext.getUptime().toMillis() / 1000.0));
        out.append(String.format(Locale.ROOT, "rows in %s: %d (%s)%n", TABLE, rows, rowsByStatus()));
        boolean ok = true;
        if (sim != null) {
            long expected = expectedResults(sim.dataSet().groundTruth(), config);
            ok = expected == rows;
            out.append(String.format(Locale.ROOT, "simulator ground truth: %d send results -> table %s%n", expected,
                    ok ? "COMPLETE" : "INCOMPLETE (" + (expected - rows) + " rows missing)"));
        }
        out.append("Camel's health: http://localhost:").append(environment.getProperty("local.server.port", "8080"))
                .append("/actuator/health").append(exitWhenDone ? "" : " (Ctrl+C stops the app)");
        LOG.info("{}", out);
        return ok;
    }

    private long expectedResults(GroundTruth truth, WecomGroupMsgConfiguration config) {
        ZoneId zone = ZoneId.of(config.getTimeZone());
        long start = TimeSpec.parse(config.getStartTime(), zone, Clock.systemUTC());
        long end = TimeSpec.parse(config.getEndTime(), zone, Clock.systemUTC());
        return SendResultRoutes.CHAT_TYPES.stream()
                .mapToLong(chatType -> truth.countResults(chatType, start, end, null, 2)).sum();
    }

    private long rowCount() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE, Long.class);
        return n == null ? 0 : n;
    }

    private String rowsByStatus() {
        StringBuilder out = new StringBuilder();
        jdbc.query("SELECT status, COUNT(*) FROM " + TABLE + " GROUP BY status ORDER BY status", rs -> {
            out.append(out.isEmpty() ? "" : ", ").append(rs.getLong(2)).append(' ')
                    .append(STATUS.getOrDefault(rs.getInt(1), "status " + rs.getInt(1)));
        });
        return out.toString();
    }

    private long received() {
        return SendResultRoutes.CHAT_TYPES.stream().mapToLong(t -> consumer(t).getRecordsEmitted()).sum();
    }

    private WecomGroupMsgConsumer consumer(String chatType) {
        return (WecomGroupMsgConsumer) camelContext.getRoute(SendResultRoutes.routeId(chatType)).getConsumer();
    }

    private WecomGroupMsgEndpoint endpoint(String chatType) {
        return (WecomGroupMsgEndpoint) camelContext.getRoute(SendResultRoutes.routeId(chatType)).getEndpoint();
    }
}
