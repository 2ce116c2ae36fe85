package io.github.camelwecom.groupmsg;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.camelwecom.groupmsg.export.FollowingExport;
import io.github.camelwecom.groupmsg.simulator.Api;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a file stateRepository a stopped route resumes where it stopped: the two runs together emit the ground truth
 * with nothing missing and nothing twice, and a finished export stays finished. The state never holds the secret. A
 * restarted route resumes from what its repository's getState returns then, also when another replica wrote it.
 */
class CheckpointTest extends SimulatorTestSupport {

    @TempDir
    File dir;

    @Test
    void stoppedRouteResumesFromTheFileState() throws Exception {
        File stateFile = new File(dir, "wecom-state.dat");
        FileStateRepository state = FileStateRepository.fileStateRepository(stateFile);
        context.getRegistry().bind("state", state);
        String endpoint = uri("result", RANGE + "&limit=200&maxMessagesPerPoll=150&stateRepository=#state");
        List<Object> all = new ArrayList<>();

        // answers slow enough that the first run is stopped part-way: without latency the read-ahead finishes the
        // whole export before the test sees its first 1000 records
        simulator.setLatency(Duration.ofMillis(20));
        Collector first = new Collector();
        context.addRoutes(route("first", endpoint, first));
        await(Duration.ofSeconds(30), () -> first.size() >= 1000, () -> "first run: " + first.size());
        context.getRouteController().stopRoute("first");
        context.removeRoute("first");
        simulator.setLatency(Duration.ZERO);
        all.addAll(first.bodies);
        assertThat(first.size()).isLessThan((int) DATA.groundTruth()
                .countResults("single", RANGE_START, RANGE_END, null, 2));

        Collector second = new Collector();
        context.addRoutes(route("second", endpoint, second));
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("second").getConsumer();
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "second run: " + second.size());
        context.getRouteController().stopRoute("second");
        context.removeRoute("second");
        all.addAll(second.bodies);

        ExportAssertions.assertExactly(all, truth("result", "single"));
        assertThat(Files.readString(stateFile.toPath())).doesNotContain(CORP_SECRET);

        long calls = simulator.counters().calls(Api.RESULT);
        Collector third = new Collector();
        context.addRoutes(route("third", endpoint, third));
        WecomGroupMsgConsumer restarted = (WecomGroupMsgConsumer) context.getRoute("third").getConsumer();
        // a finished consumer calls nothing: its scheduled polls are the event that shows it had its chance
        awaitPolls(restarted);
        assertThat(restarted.isFinished()).as("restarted on a finished checkpoint").isTrue();
        assertStays(() -> third.size() == 0 && simulator.counters().calls(Api.RESULT) == calls,
                () -> "a finished export stays finished after a restart: " + third.size() + " records, "
                        + (simulator.counters().calls(Api.RESULT) - calls) + " result calls");
    }

    @Test
    void restartedRouteResumesFromACheckpointAnotherReplicaWrote() throws Exception {
        Path shared = dir.toPath().resolve("shared-state");
        SharedDirectoryStateRepository state = new SharedDirectoryStateRepository(shared);
        context.getRegistry().bind("state", state);
        String endpoint = uri("task", RANGE + "&limit=5&stateRepository=#state");

        // slow answers, so that the first run is stopped part-way, with a checkpoint that is not finished
        simulator.setLatency(Duration.ofMillis(20));
        Collector first = new Collector();
        context.addRoutes(route("first", endpoint, first));
        await(Duration.ofSeconds(30), () -> first.size() >= 10, () -> "first run: " + first.size());
        context.getRouteController().stopRoute("first");
        context.removeRoute("first");
        simulator.setLatency(Duration.ZERO);
        assertThat(first.size()).as("first run stopped part-way").isLessThan((int) truth("task", "single").count());
        List<String> keys = state.keys();
        assertThat(keys).as("checkpoint keys").hasSize(1);
        String key = keys.get(0);

        // meanwhile another replica, with a repository of its own on the same store, finished the export
        SharedDirectoryStateRepository otherReplica = new SharedDirectoryStateRepository(shared);
        otherReplica.start();
        ConsumerCheckpoint current = ConsumerCheckpoint.fromJson(key, otherReplica.getState(key));
        String finished = new ConsumerCheckpoint(current.range(), new FollowingExport.State(RANGE_START, null, null,
                true, null, null, null, 1, null)).toJson();
        otherReplica.setState(key, finished);
        long calls = simulator.counters().totalCalls();

        Collector second = new Collector();
        context.addRoutes(route("second", endpoint, second));
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("second").getConsumer();
        awaitPolls(consumer);
        assertThat(consumer.isFinished()).as("resumed from the other replica's finished checkpoint").isTrue();
        assertStays(() -> second.size() == 0 && simulator.counters().totalCalls() == calls,
                () -> "after resuming a finished checkpoint: " + second.size() + " records, "
                        + (simulator.counters().totalCalls() - calls) + " WeCom calls");
    }

    /** Waits for a few scheduled polls: a finished consumer's polls return at once, making no call. */
    private static void awaitPolls(WecomGroupMsgConsumer consumer) throws InterruptedException {
        await(Duration.ofSeconds(30), () -> consumer.getCounter() >= 3,
                () -> "polls: " + consumer.getCounter());
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
