package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone until killed, e.g. for demos:
 * {@code mvn -q -f wecom-groupmsg-simulator/pom.xml exec:java -Dexec.args="--port 8088 --preset demo"}.
 */
public final class WecomSimulatorMain {
    private static final String USAGE = String.join("\n",
            "Usage: WecomSimulatorMain [options]",
            "  --host ADDR          address to bind (default 127.0.0.1)",
            "  --port N             port, 0 for a free one (default 8088)",
            "  --seed N             data set seed (default 42)",
            "  --preset NAME        small | demo | large | large-corp (default demo)",
            "  --results N          instead of a preset: about N send results",
            "  --unknown-attachments  add attachments of an undocumented type",
            "  --create-time-step N every create_time a multiple of N s after its midnight, e.g. 3600 (default 1)",
            "  --delivery-delay-s N send results say 0 until N s after their task says sent (default 0)",
            "  --delivery-jitter-s N  plus up to N s more per result, the same for the same seed (default 0)",
            "  --latency-ms N       delay added to every answer (default 0)",
            "  --token-ttl-s N      token lifetime (default 7200)",
            "  --max-concurrent N   refuse with 45033 above N requests in flight (default 0: no cap)",
            "  --threads N          worker threads (default 32)",
            "  --end-time-exclusive  list: a message created at end_time is not returned (default: inclusive)",
            "  --refuse-zero-width-windows  list: start_time == end_time is refused with 40058",
            "  --call-limits KIND   enforce WeCom's call limits per corp and per IP, per API, with 45009 past them:",
            "                       wecom (10,000/min and 150,000/h per corp; 20,000/min and 600,000/h per IP),",
            "                       provider (per IP 40,000/min and 1,200,000/h) or off (default)",
            "  --call-limit-scale F those limits times F, e.g. 0.01 (default 1; alone it means wecom times F)",
            "  --now INSTANT        fixed simulated now, ISO (2025-09-10T12:00:00Z) or epoch seconds (default: real clock)",
            "  --corp-id ID         accepted corpid (default " + WecomSimulator.DEFAULT_CORP_ID + ")",
            "  --corp-secret S      its secret (default " + WecomSimulator.DEFAULT_CORP_SECRET + ")");

    private WecomSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WecomSimulator sim;
        try {
            sim = configure(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (sim == null) {
            System.out.println(USAGE);
            return;
        }
        sim.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "wecom-sim-shutdown"));
        String corpId = sim.credentials().keySet().iterator().next();
        System.out.println("WeCom simulator running at " + sim.baseUrl());
        System.out.println("  corpid=" + corpId + " corpsecret=" + sim.credentials().get(corpId));
        System.out.println("  " + sim.dataSet());
        printPerChatType(sim.dataSet(), sim.isNowFixed());
        printDelivery(sim.dataSet().spec());
        if (!sim.callLimiter().limits().isOff()) {
            System.out.println("  " + sim.callLimiter().limits() + " per API, 45009 past them");
        }
        if (sim.isNowFixed()) {
            System.out.println("  simulated now " + sim.now() + " (statuses and messages as of then)");
        }
        System.out.println("  messages created from " + sim.dataSet().startEpochSecond()
                + " to " + sim.dataSet().endEpochSecond() + " (epoch seconds); stop with Ctrl+C");
        stopped.await();
    }

    /**
     * The totals above count both chat types; an export reads one ({@code chatType}, single by default), so it finds
     * the counts of that one.
     */
    private static void printPerChatType(DataSet data, boolean nowFixed) {
        for (ChatType type : ChatType.values()) {
            System.out.printf("    chatType=%s%s: %d messages, %d tasks, %d send results%n", type.wireName(),
                    type == ChatType.SINGLE ? " (the component's default)" : "", data.messageCount(type),
                    data.taskCount(type), data.sendResultCount(type));
        }
        System.out
                .println("    (the totals above count both; an export of the whole range finds its chat type's figures"
                        + (nowFixed ? ", less what is created or sent after the simulated now" : "") + ")");
    }

    private static void printDelivery(DataSetSpec spec) {
        if (spec.deliveryDelaySeconds() > 0 || spec.deliveryJitterSeconds() > 0) {
            System.out.printf("  send results settle %d to %d s after their task's send_time%n",
                    spec.deliveryDelaySeconds(), spec.deliveryDelaySeconds() + spec.deliveryJitterSeconds());
        }
    }

    /** The simulator the arguments describe (not started), or null when help was asked for. */
    static WecomSimulator configure(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return null;
            }
            if (options.flag(arg)) {
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + arg);
            }
            options.option(arg, args[++i]);
        }
        return options.simulator();
    }

    /** The options read so far: the builder's set on it at once, the data set's and the corp's kept for the end. */
    private static final class Options {
        final WecomSimulator.Builder b = WecomSimulator.builder().port(8088);
        long seed = 42;
        String preset = "demo";
        long results = 0;
        boolean unknownAttachments = false;
        long createTimeStep = 1;
        long deliveryDelay = 0;
        long deliveryJitter = 0;
        String corpId = WecomSimulator.DEFAULT_CORP_ID;
        String corpSecret = WecomSimulator.DEFAULT_CORP_SECRET;
        CallLimits callLimits;
        double callLimitScale = 1;

        /** Takes {@code arg} when it is an option without a value; false when it is not. */
        boolean flag(String arg) {
            switch (arg) {
                case "--unknown-attachments" -> unknownAttachments = true;
                case "--end-time-exclusive" -> b.endTimeExclusive(true);
                case "--refuse-zero-width-windows" -> b.refuseZeroWidthWindows(true);
                default -> {
                    return false;
                }
            }
            return true;
        }

        void option(String arg, String value) {
            switch (arg) {
                case "--host" -> b.host(value);
                case "--port" -> b.port(integer(arg, value));
                case "--seed" -> seed = Long.parseLong(value);
                case "--preset" -> preset = value;
                case "--results" -> results = Long.parseLong(value);
                case "--create-time-step" -> createTimeStep = longNumber(arg, value);
                case "--delivery-delay-s" -> deliveryDelay = longNumber(arg, value);
                case "--delivery-jitter-s" -> deliveryJitter = longNumber(arg, value);
                case "--latency-ms" -> b.latency(Duration.ofMillis(integer(arg, value)));
                case "--token-ttl-s" -> b.tokenTtl(Duration.ofSeconds(integer(arg, value)));
                case "--max-concurrent" -> b.maxConcurrentRequests(integer(arg, value));
                case "--threads" -> b.threads(integer(arg, value));
                case "--now" -> b.now(instant(arg, value));
                case "--call-limits" -> callLimits = callLimits(value);
                case "--call-limit-scale" -> callLimitScale = factor(arg, value);
                case "--corp-id" -> corpId = value;
                case "--corp-secret" -> corpSecret = value;
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }

        WecomSimulator simulator() {
            DataSetSpec spec = results > 0 ? DataSetSpec.withResults(results) : DataSetSpec.preset(preset);
            spec = spec.toBuilder().seed(seed).unknownAttachmentType(unknownAttachments).createTimeStep(createTimeStep)
                    .deliveryDelaySeconds(deliveryDelay).deliveryJitterSeconds(deliveryJitter).build();
            if (callLimits != null || callLimitScale != 1) {
                b.callLimits((callLimits != null ? callLimits : CallLimits.wecom()).scaled(callLimitScale));
            }
            return b.credentials(corpId, corpSecret).dataSet(DataSet.generate(spec)).build();
        }
    }

    private static CallLimits callLimits(String kind) {
        return switch (kind) {
            case "wecom" -> CallLimits.wecom();
            case "provider" -> CallLimits.wecomProvider();
            case "off" -> CallLimits.none();
            default -> throw new IllegalArgumentException("--call-limits needs wecom, provider or off, got " + kind);
        };
    }

    private static double factor(String option, String value) {
        try {
            double f = Double.parseDouble(value);
            if (f > 0 && !Double.isInfinite(f)) {
                return f;
            }
        } catch (NumberFormatException e) {
            // answered below like a number out of range
        }
        throw new IllegalArgumentException(option + " needs a positive number, got " + value);
    }

    private static Instant instant(String option, String value) {
        try {
            return value.chars().allMatch(Character::isDigit) ? Instant.ofEpochSecond(Long.parseLong(value))
                    : Instant.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " needs an ISO instant or epoch seconds, got " + value);
        }
    }

    private static long longNumber(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got " + value);
        }
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got " + value);
        }
    }
}
