package io.github.camelwecom.groupmsg;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A following send-result consumer keeps its tracked records in parts beside its checkpoint (an index and slots under
 * the checkpoint key); restarted from its file stateRepository it resumes with nothing emitted twice.
 */
class CheckpointPartsRestartTest extends SimulatorTestSupport {

    private static final long DAY = 86_400;
    /** "Now" at the first start: in the middle of the data set's range. */
    private static final long C0 = RANGE_START + 40 * DAY;

    @TempDir
    File dir;

    @Test
    void aFollowingConsumerRestartedOnItsPartsEmitsNothingTwice() throws Exception {
        MovableClock clock = new MovableClock(C0);
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        File file = new File(dir, "wecom.state");
        context.getRegistry().bind("state", FileStateRepository.fileStateRepository(file));
        long start = C0 - 10 * DAY;
        long end = C0 + 10 * DAY;
        String endpoint = uri("result", "startTime=" + start + "&endTime=" + end
                + "&overlap=P5D&stateRepository=#state");
        List<Object> emitted = new ArrayList<>();

        Collector first = new Collector();
        context.addRoutes(route("first", endpoint, first));
        awaitPassUpTo(consumer("first"), C0);
        WecomGroupMsgEndpoint firstEndpoint = (WecomGroupMsgEndpoint) context.getRoute("first").getEndpoint();
        stop("first");
        long written = firstEndpoint.getCheckpointBytesWritten();
        emitted.addAll(first.bodies);
        String key = ConsumerCheckpoints.key(context.getEndpoint(endpoint, WecomGroupMsgEndpoint.class).getOptions());
        // FileStateRepository appends key=value lines; the last one of a key wins
        Map<String, String> stored = new HashMap<>();
        Files.readAllLines(file.toPath()).forEach(line -> stored.put(line.substring(0, line.indexOf('=')),
                line.substring(line.indexOf('=') + 1)));
        assertThat(stored.keySet()).as("keys").contains(key, key + "|parts").allMatch(k -> k.startsWith(key));
        assertThat(stored.get(key)).as("the checkpoint JSON holds no tracked records").doesNotContain("tracked");
        assertThat(written).as("checkpoint bytes written").isPositive();

        clock.set(C0 + 12 * DAY);
        Collector second = new Collector();
        context.addRoutes(route("second", endpoint, second));
        WecomGroupMsgConsumer resumed = consumer("second");
        await(Duration.ofSeconds(30), resumed::isFinished, () -> "not finished after the restart");
        stop("second");
        emitted.addAll(second.bodies);

        assertThat(DATA.groundTruth().countResults("single", C0 - 5 * DAY, C0, null, 2))
                .as("results in the span read again after the restart").isPositive();
        ExportAssertions.assertExactly(emitted, DATA.groundTruth().results("single", start, end, null, 2));
    }

    private WecomGroupMsgConsumer consumer(String routeId) {
        return (WecomGroupMsgConsumer) context.getRoute(routeId).getConsumer();
    }

    private void stop(String routeId) throws Exception {
        context.getRouteController().stopRoute(routeId);
        context.removeRoute(routeId);
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
