package io.github.camelwecom.groupmsg;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelwecom.groupmsg.corps.CorpRoutes;
import io.github.camelwecom.groupmsg.corps.JdbcCorpSource;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.logging.log4j.Level;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Corps as rows of a table: CorpRoutes makes one route per row from a route template, each exporting its own corp with
 * its own credentials, and follows the table as rows are added, changed and removed.
 */
class CorpRoutesTest extends SimulatorTestSupport {

    private final JdbcDataSource db = new JdbcDataSource();
    /** Records by the route that emitted them. */
    private final Map<String, List<Object>> records = new ConcurrentHashMap<>();
    private CorpRoutes corps;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:records").process(e -> records.computeIfAbsent(e.getFromRouteId(),
                        id -> new ArrayList<>()).add(e.getMessage().getBody()));
                routeTemplate("wecom-corp").templateParameter("corpId").templateParameter("corpSecret")
                        .templateParameter("chatType", "single")
                        .from("wecom-groupmsg:list?baseUrl=" + simulator.baseUrl()
                                + "&corpId={{corpId}}&corpSecret=RAW({{corpSecret}})&chatType={{chatType}}&" + RANGE
                                + "&initialDelay=0&delay=100")
                        .process(e -> records.computeIfAbsent(e.getFromRouteId(), id -> new ArrayList<>())
                                .add(e.getMessage().getBody()));
            }
        };
    }

    @BeforeEach
    void corpTable() throws Exception {
        db.setURL("jdbc:h2:mem:corps-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        sql("CREATE TABLE wecom_corp (corp_id VARCHAR(64) PRIMARY KEY, corp_secret VARCHAR(128), "
                + "chat_type VARCHAR(16) DEFAULT 'single' NOT NULL)");
        corps = new CorpRoutes("wecom-corp", new JdbcCorpSource(db,
                "SELECT corp_id AS \"corpId\", corp_secret AS \"corpSecret\", chat_type AS \"chatType\" "
                        + "FROM wecom_corp"));
        corps.setRefreshInterval(Duration.ofHours(1));
        context.addService(corps);
    }

    @AfterEach
    void dropTable() throws Exception {
        sql("DROP ALL OBJECTS");
    }

    @Test
    void eachRowGetsARouteThatExportsItsCorp() throws Exception {
        addCorp("ww-corp-a");
        addCorp("ww-corp-b");
        corps.refresh();

        assertThat(corps.getCorpIds()).containsExactly("ww-corp-a", "ww-corp-b");
        for (String corp : List.of("ww-corp-a", "ww-corp-b")) {
            awaitFinished(corp);
            ExportAssertions.assertExactly(records.get("wecom-corp-" + corp), truth("list", "single"));
        }
        assertThat(simulator.counters().tokensIssued()).as("one gettoken per corp").isEqualTo(2);
    }

    @Test
    void rowsAddedChangedAndRemovedStartReplaceAndRemoveTheirRoutes() throws Exception {
        addCorp("ww-corp-a");
        addCorp("ww-corp-b");
        corps.refresh();
        Route b = context.getRoute("wecom-corp-ww-corp-b");
        // the first routes' records are all in before the table changes, so what follows is the new routes' alone
        awaitFinished("ww-corp-a");
        awaitFinished("ww-corp-b");
        records.clear();

        addCorp("ww-corp-c");
        sql("DELETE FROM wecom_corp WHERE corp_id = 'ww-corp-a'");
        sql("UPDATE wecom_corp SET chat_type = 'group' WHERE corp_id = 'ww-corp-b'");
        corps.refresh();

        assertThat(corps.getCorpIds()).containsExactly("ww-corp-b", "ww-corp-c");
        assertThat(context.getRoute("wecom-corp-ww-corp-a")).as("removed with its row").isNull();
        assertThat(context.getRoute("wecom-corp-ww-corp-b")).as("made again with the new chat type").isNotSameAs(b);
        awaitFinished("ww-corp-b");
        ExportAssertions.assertExactly(records.get("wecom-corp-ww-corp-b"), truth("list", "group"));
        awaitFinished("ww-corp-c");
        ExportAssertions.assertExactly(records.get("wecom-corp-ww-corp-c"), truth("list", "single"));
    }

    @Test
    void aCorpWhoseRouteCannotBeMadeIsTriedAgainWhileTheOthersRun() throws Exception {
        addCorp("ww-corp-a");
        sql("INSERT INTO wecom_corp VALUES ('ww-corp-b', '" + secretOf("ww-corp-b") + "', 'private')");
        try (LogCapture logs = new LogCapture(Level.WARN)) {
            corps.refresh();
            assertThat(logs.text()).contains("Cannot start the route of corp ww-corp-b from template wecom-corp")
                    .contains("Invalid option chatType=private").doesNotContain(secretOf("ww-corp-b"));
        }
        assertThat(corps.getCorpIds()).containsExactly("ww-corp-a");
        assertThat(context.getRoute("wecom-corp-ww-corp-b")).isNull();
        awaitFinished("ww-corp-a");

        sql("UPDATE wecom_corp SET chat_type = 'single' WHERE corp_id = 'ww-corp-b'");
        corps.refresh();
        awaitFinished("ww-corp-b");
        ExportAssertions.assertExactly(records.get("wecom-corp-ww-corp-b"), truth("list", "single"));
    }

    @Test
    void theTableIsReadAgainEveryRefreshInterval() throws Exception {
        corps.stop();
        corps.setRefreshInterval(Duration.ofMillis(100));
        corps.start();
        addCorp("ww-corp-c");
        await(Duration.ofSeconds(20), () -> context.getRoute("wecom-corp-ww-corp-c") != null,
                () -> "no route for the new row; corps " + corps.getCorpIds());
        sql("DELETE FROM wecom_corp");
        await(Duration.ofSeconds(20), () -> context.getRoute("wecom-corp-ww-corp-c") == null,
                () -> "the route outlived its row");
    }

    @Test
    void aYamlRouteFileWithATimerKeepsTheRoutesInStep() throws Exception {
        context.getRegistry().bind("corpDb", db);
        context.getPropertiesComponent().addInitialProperty("wecom.base-url", simulator.baseUrl());
        addCorp("ww-corp-a");
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "classpath:routes/corp-routes.yaml"));

        await(Duration.ofSeconds(20), () -> context.getRoute("wecom-corp-yaml-ww-corp-a") != null,
                () -> "no route for the row");
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("wecom-corp-yaml-ww-corp-a")
                .getConsumer();
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "ww-corp-a did not finish");
        ExportAssertions.assertExactly(records.get("wecom-corp-yaml-ww-corp-a"), truth("list", "single"));
        sql("DELETE FROM wecom_corp");
        await(Duration.ofSeconds(20), () -> context.getRoute("wecom-corp-yaml-ww-corp-a") == null,
                () -> "the route outlived its row");
    }

    private void addCorp(String corpId) throws Exception {
        sql("INSERT INTO wecom_corp (corp_id, corp_secret) VALUES ('" + corpId + "', '" + secretOf(corpId) + "')");
    }

    private void awaitFinished(String corpId) throws InterruptedException {
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute("wecom-corp-" + corpId)
                .getConsumer();
        await(Duration.ofSeconds(30), consumer::isFinished, () -> corpId + " did not finish");
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /**
     * Rendezvous hashing, what spreads the shards over replicas: a member leaving moves only its own keys, one joining
     * takes keys only for itself, and each of 4 members owns about a quarter of 2,000 keys.
     */
    @Test
    void aKeysOwnerChangesOnlyWhenItsOwnerLeavesOrTheNewMemberWinsIt() {
        List<String> four = List.of("replica-1", "replica-2", "replica-3", "replica-4");
        List<String> three = List.of("replica-1", "replica-3", "replica-4");
        List<String> five = List.of("replica-1", "replica-2", "replica-3", "replica-4", "replica-5");
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        for (int i = 0; i < 2_000; i++) {
            String key = "wecom-corps-" + i;
            String owner = CorpRoutes.owner(key, four);
            counts.merge(owner, 1, Integer::sum);
            assertThat(CorpRoutes.owner(key, List.of("replica-4", "replica-3", "replica-2", "replica-1")))
                    .as("independent of the members' order").isEqualTo(owner);
            if (!owner.equals("replica-2")) {
                assertThat(CorpRoutes.owner(key, three)).as("%s after replica-2 left", key).isEqualTo(owner);
            }
            assertThat(CorpRoutes.owner(key, five)).as("%s after replica-5 joined", key).isIn(owner, "replica-5");
        }
        assertThat(counts.values()).as("keys per member: %s", counts).allSatisfy(n -> assertThat(n)
                .isBetween(400, 600));
    }

    /**
     * A corp belongs to one of {@code shards} shards, the same on every replica, and its owner is its shard's: 2,000
     * corps fill all 64 shards about evenly, and corps of one shard always move together.
     */
    @Test
    void corpsAreHashedIntoShardsAndOwnedWithTheirShard() {
        CorpRoutes shares = new CorpRoutes();
        List<String> members = List.of("replica-1", "replica-2", "replica-3");
        Map<Integer, Integer> perShard = new TreeMap<>();
        for (int i = 0; i < 2_000; i++) {
            String corpId = "ww-corp-" + i;
            int shard = shares.shardOf(corpId);
            assertThat(shard).isBetween(0, 63);
            perShard.merge(shard, 1, Integer::sum);
            assertThat(shares.ownerOf(corpId, members))
                    .isEqualTo(CorpRoutes.owner("wecom-corps-" + shard, members));
        }
        assertThat(perShard).as("corps per shard").hasSize(64);
        assertThat(perShard.values()).as("corps per shard: %s", perShard).allSatisfy(n -> assertThat(n)
                .isBetween(15, 50));
        shares.setShards(1);
        assertThat(shares.shardOf("ww-corp-1")).isZero();
        assertThatThrownBy(() -> shares.setShards(0)).hasMessage("Invalid shards=0: must be at least 1");
    }
}
