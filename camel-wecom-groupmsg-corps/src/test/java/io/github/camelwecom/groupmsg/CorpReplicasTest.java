package io.github.camelwecom.groupmsg;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.corps.CorpRoutes;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import io.github.camelwecom.groupmsg.state.JdbcStateRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.camelwecom.groupmsg.ExportProcess.ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Corps spread over three replicas, each a JVM of its own ({@link CorpReplicaProcess}): 30 corps shared out by
 * {@link CorpRoutes} over the members of a ZooKeeper view (Curator's in-process TestingServer), a route per corp in the
 * shards a replica owns and leads, and one shared state (a JdbcStateRepository on PostgreSQL). Each corp is polled by
 * exactly the replica that owns it ({@link CorpRoutes#ownerOf}), each replica owns 6 to 14; one replica is killed with
 * SIGKILL in the middle of its corps' exports and the two others take them over from the checkpoints, each exactly
 * those it now owns ({@link Replicas#killOneReplica}). Every corp sees the same data set, so each corp's records, all
 * replicas together, are the ground truth; a record comes twice only from a batch the killed replica had not finished.
 * <p>
 * WeCom (the simulator) answers normally from the start, so corps move while the replicas join with records flowing;
 * that no two routes polled a corp at once, then or at the kill, the simulator's call log shows. The killed replica's
 * corps each wait at record {@link Replicas#PAUSE_AT}, fewer than a corp has, so that every corp it polls is cut,
 * however fast the machine. Follow mode and other faults: {@link CorpReplicaFaultsTest}.
 */
class CorpReplicasTest {

    static final int CORPS = 30;

    static DataSet data;
    static WecomSimulator simulator;
    static TestingServer zookeeper;
    static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @RegisterExtension
    final ExportProcess.Children children = new ExportProcess.Children();

    @BeforeAll
    static void start(@TempDir File zookeeperData) throws Exception {
        data = DataSet.generate(DataSetSpec.withResults(1_500));
        WecomSimulator.Builder builder = WecomSimulator.builder().port(0).dataSet(data)
                .latency(Duration.ofMillis(2));
        for (int i = 0; i < CORPS; i++) {
            String corpId = CorpReplicaProcess.corpId(i);
            builder.credentials(corpId, CorpReplicaProcess.corpSecret(corpId));
        }
        simulator = builder.build().start();
        // tick 500 ms: sessions of 1 to 10 s are allowed, so a replica's 5 s session ends 5 s after its SIGKILL
        zookeeper = new TestingServer(new InstanceSpec(zookeeperData, -1, -1, -1, true, -1, 500, -1), true);
        postgres = JdbcStateRepositoryPostgresTest.startEmbeddedPostgres();
    }

    @AfterAll
    static void stop() throws Exception {
        Replicas.closeAll(simulator, zookeeper, postgres);
    }

    @Test
    void corpsAreSpreadAndAKilledReplicasCorpsAreTakenOver() throws Exception {
        List<JsonNode> expected = ExportProcess.expectedRecords(data);
        assertThat(expected).as("one corp's records").hasSizeGreaterThan(Replicas.PAUSE_AT + ExportProcess.LIMIT);
        List<String> corps = IntStream.range(0, CORPS).mapToObj(CorpReplicaProcess::corpId).toList();
        Map<String, List<String>> owned = Replicas.owners(corps, Replicas.NAMES);
        assertThat(owned.values()).as("corps each of 3 replicas owns: %s", owned)
                .allSatisfy(c -> assertThat(c).hasSizeBetween(6, 14));
        String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
        List<String> args = new ArrayList<>(List.of("--base-url", simulator.baseUrl(), "--endpoint", ENDPOINT,
                "--zookeeper", zookeeper.getConnectString(), "--corps", String.valueOf(CORPS), "--max-seconds", "300",
                "--jdbc-url", jdbcUrl));

        Replicas.Kill kill = Replicas.killOneReplica(children, dir, simulator, args, corps, expected, jdbcUrl,
                JdbcStateRepository.DEFAULT_TABLE_NAME);

        System.out.printf("CorpReplicasTest figures: %d corps x %d records; balanced after %d ms as %s; %s polled %s "
                + "and emitted %s; taken over %d ms after the SIGKILL as %s, complete after %d ms; "
                + "repeated records by corp %s; missing %s; routes per corp %s; overlapping polls %s%n",
                CORPS, expected.size(), kill.balancedAfter(), Replicas.counts(kill.balanced()), kill.victim(),
                kill.victimCorps(), kill.fromVictim(), kill.takenOverAfter(), Replicas.counts(kill.takenOver()),
                kill.completeAfter(), kill.check().repeats(), kill.check().missing(), kill.tenures(),
                kill.overlaps().size());
        assertThat(kill.takenOver().values()).as("corps each survivor owns: %s", kill.takenOver())
                .allSatisfy(c -> assertThat(c).hasSizeBetween(10, 20));
        kill.balanced().forEach((replica, corpsThere) -> {
            if (!replica.equals(kill.victim())) {
                assertThat(kill.takenOver().get(replica)).as("a survivor keeps its own corps").containsAll(corpsThere);
            }
        });
        assertThat(kill.check().missing()).as("records no replica emitted, per corp").isEmpty();
    }
}
