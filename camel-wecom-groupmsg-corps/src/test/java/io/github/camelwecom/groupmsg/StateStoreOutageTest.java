package io.github.camelwecom.groupmsg;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.logging.log4j.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state database goes down in the middle of an export and comes back: the consumer hands on nothing past the batch
 * whose checkpoint it could not store (so a crash meanwhile would repeat at most that batch), says so in one WARN line,
 * reports itself down, and once the database is back stores the checkpoint and goes on by itself: the export is then
 * exact, each record once. PostgreSQL is a real server, stopped and started on the same data directory.
 */
class StateStoreOutageTest extends SimulatorTestSupport {

    private static final int LIMIT = 100;
    /** The record during whose processing the database stops: in the middle of a batch. */
    private static final int STOP_AT = 537;

    @TempDir
    Path dir;

    private EmbeddedPostgres postgres;
    private int port;

    @AfterEach
    void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aStateDatabaseThatIsDownHoldsTheExportUntilItIsBackThenTheExportIsExact() throws Exception {
        port = freePort();
        startPostgres();
        DataSource database = postgres.getPostgresDatabase();
        JdbcStateRepository state = new JdbcStateRepository(database);
        state.setQueryTimeout(2);
        context.getRegistry().bind("jdbcState", state);
        registerHealthChecks(context);
        Collector got = new Collector();
        AtomicReference<Exception> stopFailure = new AtomicReference<>();

        try (LogCapture logs = new LogCapture(Level.INFO)) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri("result", RANGE + "&limit=" + LIMIT + "&stateRepository=#jdbcState"))
                            .routeId("outage").process(exchange -> {
                                got.add(exchange);
                                if (got.size() == STOP_AT) {
                                    try {
                                        postgres.close();
                                    } catch (IOException e) {
                                        stopFailure.set(e);
                                    }
                                }
                            });
                }
            });
            await(Duration.ofSeconds(60), () -> logs.text().contains("hands on no more records until its checkpoint"),
                    () -> "no WARN about the checkpoint after " + got.size() + " records");
            assertThat(stopFailure.get()).isNull();
            int endOfBatch = (STOP_AT / LIMIT + 1) * LIMIT;
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                    .until(() -> got.size() == endOfBatch);
            assertThat(consumerHealth("outage").getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(logs.text().lines().filter(l -> l.contains("hands on no more records")).count())
                    .as("WARN lines while the database is down, one however many polls").isEqualTo(1);

            startPostgres();
            WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("outage").getConsumer();
            await(Duration.ofSeconds(60), consumer::isFinished, () -> "not finished after the database came back");
            assertThat(logs.text()).contains("stored its checkpoint after");
        }
        ExportAssertions.assertExactly(got.bodies, truth("result", "single"));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> consumerHealth("outage").getState() == HealthCheck.State.UP);
    }

    /** Starts PostgreSQL on the test's data directory and port, or again after it was stopped. */
    private void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false)
                .setPort(port).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
