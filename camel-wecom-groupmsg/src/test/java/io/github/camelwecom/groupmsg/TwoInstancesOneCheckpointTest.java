package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Two instances of one application on one checkpoint, as in a rolling deploy (the new pod starts before the old one
 * stops) or a second instance started by mistake: with a {@link JdbcStateRepository} the one that started last claims
 * the checkpoint, the other's next write is refused and it stops its route with one ERROR line. Together they emit
 * each record once, but for the one batch the old instance handed on after the new one had claimed the checkpoint.
 */
class TwoInstancesOneCheckpointTest extends SimulatorTestSupport {

    private static final int LIMIT = 100;
    /** The old instance holds its route here, in its third batch, while the new one starts. */
    private static final int HOLD_AT = 250;

    private static EmbeddedPostgres postgres;

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
    void theInstanceThatStartedLastWinsAndTheOtherStopsAfterOneBatch() throws Exception {
        String endpoint = uri("result", RANGE + "&limit=" + LIMIT + "&stateRepository=#jdbcState");
        context.getRegistry().bind("jdbcState", new JdbcStateRepository(postgres.getPostgresDatabase()));
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
            second.getRegistry().bind("jdbcState", new JdbcStateRepository(postgres.getPostgresDatabase()));
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
        System.out.printf("TwoInstancesOneCheckpointTest: old %d, new %d, records %d, repeats %d%n", old.size(),
                fresh.size(), truth.size(), repeats);
        assertThat(old.size()).as("the old instance stops after the batch it was in").isEqualTo(3 * LIMIT);
        assertThat(repeats).as("records both emitted: the old one's last batch").isEqualTo(LIMIT);
    }

    private ServiceStatus oldStatus() {
        return context.getRouteController().getRouteStatus("old");
    }
}
