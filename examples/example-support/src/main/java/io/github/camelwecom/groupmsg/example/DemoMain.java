package io.github.camelwecom.groupmsg.example;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.github.camelwecom.groupmsg.TimeSpec;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Runs the route files Camel Main finds (the YAML or XML example's {@code routes/}) until the bounded export is done,
 * then prints a summary; with {@code WECOM_END_TIME} set but empty it follows new records until stopped (Ctrl+C).
 * Shared by the Camel Main examples, which differ only in their route file.
 *
 * <p>
 * With {@code WECOM_CORP_ID} and {@code WECOM_CORP_SECRET} set it exports from WeCom (or from {@code WECOM_BASE_URL});
 * without them it starts the WeCom simulator on a free port, exports from it and checks the count against the
 * simulator's ground truth. {@code WECOM_API}, {@code WECOM_CHAT_TYPE}, {@code WECOM_START_TIME} and
 * {@code WECOM_END_TIME} override application.properties ({@code WECOM_POLL_DELAY} the time between follow-mode polls);
 * {@code WECOM_SIMULATOR_DATASET} (small, demo, large) picks the simulator's data set. Exits 1 when the export did not
 * finish or missed records.
 */
public final class DemoMain {

    public static final String ROUTE_ID = "wecom-export";

    /** The environment variables read, each with the Camel property it sets. */
    static final Map<String, String> ENV_PROPERTIES = Map.of(
            "WECOM_API", "wecom.api",
            "WECOM_CHAT_TYPE", "wecom.chat-type",
            "WECOM_START_TIME", "wecom.start-time",
            "WECOM_END_TIME", "wecom.end-time",
            "WECOM_POLL_DELAY", "wecom.poll-delay",
            "WECOM_BASE_URL", "wecom.base-url",
            "WECOM_CORP_ID", "wecom.corp-id",
            "WECOM_CORP_SECRET", "wecom.corp-secret");

    /**
     * The end time of a following demo: a placeholder of a property nobody sets, which Camel resolves to "absent" and
     * drops from the route's URI (an empty value would be an invalid endTime, and a Properties cannot unset the default
     * in application.properties).
     */
    static final String NO_END_TIME = "{{?wecom.no-end-time}}";

    private DemoMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(System.getenv(), System.out, Map.of());
        } catch (Exception e) {
            // the innermost message says what to fix; the causes around it repeat it
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            System.err.println("The export did not run: " + cause.getMessage());
            status = 1;
        }
        if (status != 0) {
            // also ends threads a failed start leaves behind (Camel Main's idle checker is not a daemon)
            System.exit(status);
        }
    }

    /**
     * Runs the export with the settings in {@code env}, binding {@code beans} into the registry (e.g. an event
     * notifier), and prints the summary to {@code out}; returns the exit status.
     */
    public static int run(Map<String, String> env, PrintStream out, Map<String, Object> beans) throws Exception {
        Properties settings = new Properties();
        ENV_PROPERTIES.forEach((variable, property) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                settings.setProperty(property, value.trim());
            }
        });
        String endTime = env.get("WECOM_END_TIME");
        if (endTime != null && endTime.isBlank()) {
            settings.setProperty("wecom.end-time", NO_END_TIME);
        }
        WecomSimulator simulator = EmbeddedWecom.startUnlessCredentials(settings, env, out);
        try {
            Main main = new Main();
            main.setOverrideProperties(settings);
            beans.forEach(main::bind);
            ExportWatch watch = new ExportWatch(main);
            main.addMainListener(watch);
            main.run();
            return watch.report(out, simulator);
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    /**
     * Notes what the running app resolved and when it started, stops it once the bounded export finished or a poll
     * failed (after its retries), and prints the summary. Stopping on idle time instead stopped a slow start (a busy
     * machine, a slow API) before its first record. A following export runs until stopped: only a poll that fails
     * before it first caught up (a wrong secret) ends it; later failures are retried by the consumer's next polls.
     */
    private static final class ExportWatch extends MainListenerSupport {
        private final Main main;
        private long startNanos;
        private ExportStats stats;
        private WecomGroupMsgConsumer consumer;
        private boolean following;
        private final Map<String, String> resolved = new LinkedHashMap<>();

        ExportWatch(Main main) {
            this.main = main;
        }

        @Override
        public void beforeConfigure(BaseMainSupport main) {
            // the settings come from the env map given to run(), not from Camel's own look-up of WECOM_* variables
            ((PropertiesComponent) main.getCamelContext().getPropertiesComponent())
                    .setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        }

        @Override
        public void afterStart(BaseMainSupport main) {
            startNanos = System.nanoTime();
            CamelContext context = main.getCamelContext();
            stats = context.getRegistry().lookupByNameAndType("exportStats", ExportStats.class);
            consumer = (WecomGroupMsgConsumer) context.getRoute(ROUTE_ID).getConsumer();
            String endTime = consumer.getEndpoint().getConfiguration().getEndTime();
            following = endTime == null;
            for (String key : new String[] { "api", "chat-type", "start-time", "time-zone", "base-url", "corp-id" }) {
                resolved.put(key, context.resolvePropertyPlaceholders("{{wecom." + key + "}}"));
            }
            resolved.put("end-time", following ? "now, following" : endTime);
            context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "ExportWatch")
                    .scheduleWithFixedDelay(() -> {
                        boolean failed = consumer.getErrorCounter() > 0
                                && (!following || consumer.getPassesCompleted() == 0);
                        if (consumer.isFinished() || failed) {
                            this.main.completed();
                        }
                    }, 100, 100, TimeUnit.MILLISECONDS);
        }

        int report(PrintStream out, WecomSimulator simulator) {
            if (stats == null) {
                out.println("The export route did not start.");
                return 1;
            }
            long records = stats.total();
            double seconds = records == 0 ? 0 : (stats.lastRecordNanos() - startNanos) / 1e9;
            String api = resolved.get("api");
            out.println();
            out.println("=== WeCom group-msg export summary ===");
            out.printf(Locale.ROOT, "api=%s chatType=%s range=%s .. %s (%s) from %s (corp %s)%n", api,
                    resolved.get("chat-type"), resolved.get("start-time"), resolved.get("end-time"),
                    resolved.get("time-zone"), resolved.get("base-url"), resolved.get("corp-id"));
            out.printf(Locale.ROOT, "records exported: %d in %.1f s (%.0f records/s)%n", records, seconds,
                    seconds > 0 ? records / seconds : 0.0);
            stats.byKind().forEach((kind, count) -> out.printf(Locale.ROOT, "  %-60s %d%n", kind, count));
            if (following) {
                return reportFollowing(out);
            }
            boolean finished = consumer.isFinished();
            out.println("range read to its end: " + (finished ? "yes"
                    : "no: stopped after a failed poll (see the error above)"));
            boolean complete = finished;
            if (simulator != null) {
                long expected = expectedCount(simulator.dataSet().groundTruth());
                complete &= expected == records;
                out.printf(Locale.ROOT, "simulator ground truth: %d records -> export %s%n", expected,
                        expected == records ? "COMPLETE" : "INCOMPLETE (" + (expected - records) + " missing)");
            }
            return complete ? 0 : 1;
        }

        /** A following export has no end to compare with the ground truth: it says how far it got. */
        private int reportFollowing(PrintStream out) {
            long upTo = consumer.getCompleteUpTo();
            if (upTo < 0) {
                out.println("followed until stopped, but never caught up: see the error above");
                return 1;
            }
            out.println("followed until stopped: every record created up to "
                    + TimeSpec.format(upTo, ZoneId.of(resolved.get("time-zone"))) + " was exported");
            return 0;
        }

        private long expectedCount(GroundTruth truth) {
            ZoneId zone = ZoneId.of(resolved.get("time-zone"));
            long start = TimeSpec.parse(resolved.get("start-time"), zone, Clock.systemUTC());
            long end = TimeSpec.parse(resolved.get("end-time"), zone, Clock.systemUTC());
            String chatType = resolved.get("chat-type");
            return switch (resolved.get("api")) {
                case "list" -> truth.countMessages(chatType, start, end, null, 2);
                case "task" -> truth.countTasks(chatType, start, end, null, 2);
                default -> truth.countResults(chatType, start, end, null, 2);
            };
        }
    }
}
