package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelwecom.groupmsg.simulator.MovableClock;
import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer's checkpoint in PostgreSQL through {@link JdbcStateRepository}: a follow-mode result export stopped
 * part-way resumes in a new CamelContext (as on another replica, with its own repository and connections) from
 * the row the first one wrote, and the two runs together emit the ground truth, each record once.
 */
class JdbcStateRepositoryCheckpointTest extends SimulatorTestSupport {

    /** Records the first run processes before its route refuses the next one, and so before it stops. */
    private static final int FIRST_RUN = 700;

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
