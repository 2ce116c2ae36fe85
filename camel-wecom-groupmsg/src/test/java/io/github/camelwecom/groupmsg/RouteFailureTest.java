package io.github.camelwecom.groupmsg;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.ExchangeFactory;
import org.apache.camel.spi.PooledObjectFactory;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkpoint moves only past records the route processed: a record whose route step fails comes again on a later
 * poll (no gap), and a follow-mode consumer restarted on its file state does not emit its re-read span again.
 */
class RouteFailureTest extends SimulatorTestSupport {

    @TempDir
    File dir;

    @Test
    void failedRecordComesAgainAndNothingIsSkipped() throws Exception {
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        AtomicInteger seen = new AtomicInteger();
        Collector processed = new Collector();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("task", RANGE + "&limit=7")).routeId("flaky")
                        .process(exchange -> {
                            String key = exchange.getMessage().getHeader(WecomGroupMsgConstants.MSG_ID) + "/"
                                    + exchange.getMessage().getHeader(WecomGroupMsgConstants.USER_ID);
                            // every 7th record seen fails, once
                            if (seen.incrementAndGet() % 7 == 3 && failedOnce.add(key)) {
                                throw new IllegalStateException("database down for " + key);
                            }
                        })
                        .process(processed::add);
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("flaky").getConsumer();
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "export did not finish: " + processed.size());

        assertThat(failedOnce).as("processed " + processed.size()).isNotEmpty();
        // the records after a failure in the same batch were not processed then; they come again with it
        ExportAssertions.assertExactly(processed.bodies, truth("task", "single"));
    }

    @Test
    void theExchangesABatchCreatedAreReleasedWhenAFailureCutsItShort() throws Exception {
        context.getCamelContextExtension().getExchangeFactory().setStatisticsEnabled(true);
        AtomicInteger batchesStarted = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("list", RANGE + "&limit=5")).routeId("cut-short").process(exchange -> {
                    // the first record of the first three batches fails: the four after it are not processed
                    if (exchange.getProperty(ExchangePropertyKey.BATCH_INDEX, Integer.class) == 0
                            && batchesStarted.incrementAndGet() <= 3) {
                        throw new IllegalStateException("sink down");
                    }
                });
            }
        });
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("cut-short").getConsumer();
        ExchangeFactory factory = context.getCamelContextExtension().getExchangeFactoryManager()
                .getExchangeFactories().stream().filter(f -> f.getConsumer() == consumer).findFirst().orElseThrow();
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "export did not finish");

        PooledObjectFactory.Statistics exchanges = factory.getStatistics();
        assertThat(batchesStarted.get()).as("batches").isGreaterThan(3);
        assertThat(exchanges.getReleasedCounter()).as("exchanges released of %d created", exchanges.getCreatedCounter())
                .isEqualTo(exchanges.getCreatedCounter());
    }

    @Test
    void followModeRestartDoesNotReEmitTheOverlap() throws Exception {
        MovableClock clock = new MovableClock(RANGE_END + 1);
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        context.getRegistry().bind("state",
                FileStateRepository.fileStateRepository(new File(dir, "follow.state")));
        String endpoint = uri("result", "startTime=2025-09-01&chatType=group&overlap=P30D&trackChangesFor=P30D"
                + "&stateRepository=#state");
        long all = DATA.groundTruth().countResults("group", RANGE_START, RANGE_END, null, 2);
        List<Object> emitted = new ArrayList<>();

        Collector first = new Collector();
        context.addRoutes(route("first", endpoint, first));
        await(Duration.ofSeconds(30), () -> first.size() >= all, () -> "first: " + first.size() + "/" + all);
        // more follow passes over the 30-day look-back, so the state holds what they remembered: nothing new
        WecomGroupMsgConsumer firstConsumer = (WecomGroupMsgConsumer) context.getRoute("first").getConsumer();
        awaitWholePass(firstConsumer);
        assertStays(() -> first.size() == all, () -> "first, after more passes: " + first.size() + "/" + all);
        context.getRouteController().stopRoute("first");
        context.removeRoute("first");
        emitted.addAll(first.bodies);

        Collector second = new Collector();
        context.addRoutes(route("second", endpoint, second));
        WecomGroupMsgConsumer secondConsumer = (WecomGroupMsgConsumer) context.getRoute("second").getConsumer();
        // two whole passes over the look-back after the restart: each would have re-emitted it
        await(Duration.ofSeconds(30), () -> secondConsumer.getPassesCompleted() >= 2,
                () -> "passes after the restart: " + secondConsumer.getPassesCompleted());
        assertStays(() -> second.size() == 0,
                () -> "records of the look-back span emitted again after the restart: " + second.size());
        context.getRouteController().stopRoute("second");
        emitted.addAll(second.bodies);

        assertThat(second.size()).as("records of the look-back span emitted again after the restart").isZero();
        ExportAssertions.assertExactly(emitted, truth("result", "group"));
    }

    private static RouteBuilder route(String id, String endpoint, Collector collector) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId(id).process(collector::add);
            }
        };
    }
}
