package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer's checkpoint in PostgreSQL through {@link JdbcStateRepository}: a follow-mode result export stopped
 * part-way resumes in a new CamelContext (as on another replica, with its own repository and connections) from the row
 * the first one wrote, and the two runs together emit the ground truth, each record once. Two instances on one
 * checkpoint at once settle it by fencing.
 */
class JdbcStateRepositoryCheckpointTest extends SimulatorTestSupport {

    /** Records the first run processes before its route refuses the next one, and so before it stops. */
    private static final int FIRST_RUN = 700;

    /** Records a batch of the two-instances test, whose old instance holds in its third batch while the new starts. */
    private static final int LIMIT = 100;
    private static final int HOLD_AT = 250;
    /** A table of its own: the other test counts the rows of the default one. */
    private static final String TWO_INSTANCES_TABLE = "wecom_two_instances";

    private static EmbeddedPostgres postgres;

    /** "Now" for both runs: the day after the data set's last, so a pass reads all of it. */
    private final MovableClock clock = new MovableClock(RANGE_END + 1);

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = JdbcStateRepositoryPostgresTest.startEmbeddedPostgres();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aFollowModeExportStoppedPartWayResumesInANewCamelContext() throws Exception {
        // no endTime: the consumer follows now; small pages so that the stop falls in the middle of the pass
        String endpoint = uri("result", "startTime=2025-09-01&limit=100&stateRepository=#jdbcState");
        long total = DATA.groundTruth().countResults("single", RANGE_START, RANGE_END, null, 2);
        assertThat(total).as("records after the first run's").isGreaterThan(FIRST_RUN + 100);
        List<Object> emitted = new ArrayList<>();

        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        context.getRegistry().bind("jdbcState", new JdbcStateRepository(postgres.getPostgresDatabase()));
        Collector first = new Collector();
        AtomicInteger refused = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("first").process(exchange -> {
                    if (first.size() == FIRST_RUN) {
                        refused.incrementAndGet();
                        throw new IllegalStateException("the first run stops here");
                    }
                    first.add(exchange);
                });
            }
        });
        // the record after FIRST_RUN fails at each poll: the checkpoint stays after FIRST_RUN, whatever the speed
        await(Duration.ofSeconds(60), () -> refused.get() >= 2, () -> "first run: " + first.size() + " records");
        context.stop();
        emitted.addAll(first.bodies);
        assertThat(first.size()).isEqualTo(FIRST_RUN);
        String row = checkpointRow();
        assertThat(row).startsWith("wecom-groupmsg:result|" + CORP_ID + "|").doesNotContain(CORP_SECRET);

        CamelContext second = new DefaultCamelContext();
        try {
            second.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
            second.getRegistry().bind("jdbcState", new JdbcStateRepository(postgres.getPostgresDatabase()));
            Collector resumed = new Collector();
            second.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(endpoint).routeId("second").process(resumed::add);
                }
            });
            second.start();
            WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) second.getRoute("second").getConsumer();
            awaitPassUpTo(consumer, RANGE_END + 1);
            // a whole pass more re-read the tracked days: a record emitted twice would be in by now
            awaitWholePass(consumer);
            second.stop();
            emitted.addAll(resumed.bodies);
            assertThat(resumed.size()).as("second run").isEqualTo(total - FIRST_RUN);
        } finally {
            second.stop();
        }

        ExportAssertions.assertExactly(emitted, DATA.groundTruth().results("single", RANGE_START, RANGE_END, null, 2));
        assertThat(checkpointRow()).as("one checkpoint row, the same key").isEqualTo(row);
    }

    /**
     * Two instances of one application on one checkpoint, as in a rolling deploy (the new pod starts before the old one
     * stops) or a second instance started by mistake: the one that started last claims the checkpoint, the other's next
     * write is refused and it stops its route with one ERROR line. Together they emit each record once, but for the one
     * batch the old instance handed on after the new one had claimed the checkpoint.
     */
    @Test
    void theInstanceThatStartedLastWinsAndTheOtherStopsAfterOneBatch() throws Exception {
        String endpoint = uri("result", RANGE + "&limit=" + LIMIT + "&stateRepository=#jdbcState");
        context.getRegistry().bind("jdbcState", twoInstancesState());
        Collector old = new Collector();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("old").process(exchange -> {
                    if (old.size() == HOLD_AT) {
                        held.countDown();
                        release.await(2, TimeUnit.MINUTES);
                    }
                    old.add(exchange);
                });
            }
        });
        assertThat(held.await(60, TimeUnit.SECONDS)).as("old instance at record " + HOLD_AT).isTrue();

        CamelContext second = new DefaultCamelContext();
        Collector fresh = new Collector();
        try (LogCapture logs = new LogCapture(Level.INFO)) {
            second.getRegistry().bind("jdbcState", twoInstancesState());
            second.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(endpoint).routeId("new").process(fresh::add);
                }
            });
            second.start();
            release.countDown();
            WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) second.getRoute("new").getConsumer();
            await(Duration.ofSeconds(60), consumer::isFinished, () -> "new instance not finished");
            await(Duration.ofSeconds(30), () -> oldStatus() == ServiceStatus.Stopped,
                    () -> "old instance's route still " + oldStatus());
            assertThat(logs.text().lines().filter(l -> l.contains("ERROR") && l.contains("another replica owns"))
                    .count()).as("ERROR lines of the old instance").isEqualTo(1);
        } finally {
            second.stop();
        }

        List<JsonNode> all = new ArrayList<>(ExportAssertions.json(old.bodies));
        all.addAll(ExportAssertions.json(fresh.bodies));
        Set<JsonNode> distinct = new HashSet<>(all);
        List<JsonNode> truth = ExportAssertions.json(truth("result", "single").toList());
        assertThat(distinct).as("every record, none outside the ground truth")
                .containsExactlyInAnyOrderElementsOf(truth);
        int repeats = all.size() - distinct.size();
        System.out.printf("JdbcStateRepositoryCheckpointTest two instances: old %d, new %d, records %d, repeats %d%n",
                old.size(), fresh.size(), truth.size(), repeats);
        assertThat(old.size()).as("the old instance stops after the batch it was in").isEqualTo(3 * LIMIT);
        assertThat(repeats).as("records both emitted: the old one's last batch").isEqualTo(LIMIT);
    }

    /** Each instance's own repository, as each JVM has. */
    private static JdbcStateRepository twoInstancesState() {
        return new JdbcStateRepository(postgres.getPostgresDatabase(), TWO_INSTANCES_TABLE);
    }

    private ServiceStatus oldStatus() {
        return context.getRouteController().getRouteStatus("old");
    }

    /** The key of the only row in the default table. */
    private static String checkpointRow() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT state_key, state_value FROM "
                        + JdbcStateRepository.DEFAULT_TABLE_NAME)) {
            assertThat(r.next()).as("a checkpoint row").isTrue();
            String key = r.getString(1);
            assertThat(r.getString(2)).doesNotContain(CORP_SECRET);
            assertThat(r.next()).as("a second row").isFalse();
            return key;
        }
    }
}
