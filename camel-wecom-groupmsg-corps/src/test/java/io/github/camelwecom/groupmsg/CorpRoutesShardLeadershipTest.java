package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.camelwecom.groupmsg.corps.CorpRoutes;
import io.github.camelwecom.groupmsg.corps.CorpSource;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What keeps a corp's polling to one replica while members come and go: {@link CorpRoutes} runs the routes of a shard
 * it owns only while it leads the shard's view, and gives a shard's view up only after the shard's routes have stopped.
 * The cluster service here is one whose members and leaderships the test sets (Camel's cluster SPI), so each step is
 * decided by the test rather than by an election's timing; {@code CorpReplicasTest} runs the same over ZooKeeper.
 */
class CorpRoutesShardLeadershipTest {

    static final String LOCAL = "replica-1";
    static final String OTHER = "replica-2";
    static final int SHARDS = 8;

    CamelContext context;
    ScriptedClusterService cluster;
    CorpRoutes corpRoutes;
    List<String> corps;

    @BeforeEach
    void start() throws Exception {
        corps = IntStream.range(0, 40).mapToObj(i -> "ww-corp-" + i).toList();
        context = new DefaultCamelContext();
        cluster = new ScriptedClusterService(LOCAL);
        cluster.members.addAll(List.of(LOCAL, OTHER));
        context.addService(cluster);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                routeTemplate("corp").templateParameter("corpId").from("direct:{{corpId}}").to("mock:{{corpId}}");
            }
        });
        CorpSource source = () -> corps.stream().map(id -> Map.<String, Object>of(CorpSource.CORP_ID, id)).toList();
        corpRoutes = new CorpRoutes("corp", source);
        corpRoutes.setClustered(true); // the context's cluster service, as camel.cluster.* gives on Camel K
        corpRoutes.setShards(SHARDS);
        corpRoutes.setMembershipCheckInterval(Duration.ofMillis(50));
        context.addService(corpRoutes);
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aShardsCorpsRunOnlyWhileItsOwnerLeadsIt() {
        List<Integer> owned = shardsOwnedBy(LOCAL, Set.of(LOCAL, OTHER));
        assertThat(owned).as("shards %s owns of %d", LOCAL, SHARDS).isNotEmpty().hasSizeLessThan(SHARDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.joined().equals(namespaces(owned)));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> corpRoutes.getCorpIds().isEmpty());

        int first = owned.get(0);
        cluster.lead(corpRoutes.shardNamespace(first), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(corpsOf(List.of(first))));
        assertThat(context.getRoutes()).hasSize(corpsOf(List.of(first)).size());

        owned.forEach(shard -> cluster.lead(corpRoutes.shardNamespace(shard), true));
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(corpsOf(owned)));

        cluster.lead(corpRoutes.shardNamespace(first), false);
        List<Integer> rest = owned.subList(1, owned.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(corpsOf(rest)));
        assertThat(context.getRoute(corpRoutes.routeId(corpsOf(List.of(first)).iterator().next()))).isNull();
    }

    @Test
    void theMembersOfTheViewShareTheIpsCallBudget() {
        WecomGroupMsgComponent component = context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> component.getCallBudgetReplicas() == 2);

        cluster.members.add("replica-3");
        await().atMost(Duration.ofSeconds(10)).until(() -> component.getCallBudgetReplicas() == 3);
        assertThat(component.callBudgetInUse().replicas()).as("the budget in use").isEqualTo(3);

        corpRoutes.setEgressIps(2); // the next change counts members per IP
        cluster.members.remove(OTHER);
        await().atMost(Duration.ofSeconds(10)).until(() -> component.getCallBudgetReplicas() == 1);
    }

    @Test
    void aShardMovesOnlyAfterItsRoutesHaveStopped() {
        List<Integer> all = IntStream.range(0, SHARDS).boxed().toList();
        cluster.members.remove(OTHER);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.joined().equals(namespaces(all)));
        all.forEach(shard -> cluster.lead(corpRoutes.shardNamespace(shard), true));
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(new TreeSet<>(corps)));

        cluster.members.add(OTHER);
        List<Integer> kept = shardsOwnedBy(LOCAL, Set.of(LOCAL, OTHER));
        List<Integer> moved = all.stream().filter(s -> !kept.contains(s)).toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(corpsOf(kept)));
        assertThat(cluster.joined()).isEqualTo(namespaces(kept));
        assertThat(cluster.released).as("views given up").containsExactlyInAnyOrderElementsOf(namespaces(moved));
        assertThat(cluster.routesAtRelease).as("routes of a shard still there when its view was given up")
                .allSatisfy((namespace, routes) -> assertThat(routes).as(namespace).isEmpty());
    }

    /**
     * A replica cut off from ZooKeeper: reading the members waits (Curator retries up to its connection timeout) and
     * Curator has cancelled its leaderships (without an event reaching CorpRoutes). Its corps stop at once, before its
     * session expires and another replica takes them, even while a membership check waits on the cluster; they come
     * back when it leads again.
     */
    @Test
    void aReplicaCutOffFromTheClusterStopsItsCorpsAndTakesThemAgainWhenItLeads() {
        List<Integer> owned = shardsOwnedBy(LOCAL, Set.of(LOCAL, OTHER));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.joined().equals(namespaces(owned)));
        owned.forEach(shard -> cluster.lead(corpRoutes.shardNamespace(shard), true));
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(corpsOf(owned)));

        cluster.disconnected = true;
        // the connection went while a membership check read the members: it waits, as on ZooKeeper
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.waitingReads.get() > 0);
        cluster.leading.clear(); // no event: the leaderships must be looked at all the same
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().isEmpty());
        assertThat(context.getRoutes()).as("routes left on the cut-off replica").isEmpty();

        cluster.disconnected = false;
        owned.forEach(shard -> cluster.lead(corpRoutes.shardNamespace(shard), true));
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(corpsOf(owned)));
    }

    /**
     * As ZooKeeper's view (Camel 4.18) behaves: a leadership that ends leaves the shard's election, and a session that
     * expired leaves every election and the view of the members, none of which the view enters again by itself. The
     * replica must enter them again once it can reach the cluster, or its shards would have no leader and, after an
     * expiry, the others would not see it again.
     */
    @Test
    void aReplicaThatLeftItsElectionsEntersThemAgain() {
        List<Integer> owned = shardsOwnedBy(LOCAL, Set.of(LOCAL, OTHER));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.joined().equals(namespaces(owned)));
        owned.forEach(shard -> cluster.lead(corpRoutes.shardNamespace(shard), true));
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(corpsOf(owned)));

        // a short cut: the leaderships end and leave their elections, the session lives on
        cluster.leaveElections(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> owned.stream()
                .allMatch(shard -> cluster.participates(corpRoutes.shardNamespace(shard))));
        owned.forEach(shard -> cluster.lead(corpRoutes.shardNamespace(shard), true));
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(corpsOf(owned)));

        // an expired session: out of the view of the members too
        cluster.leaveElections(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.participates("wecom-corps") && owned.stream()
                .allMatch(shard -> cluster.participates(corpRoutes.shardNamespace(shard))));
        owned.forEach(shard -> cluster.lead(corpRoutes.shardNamespace(shard), true));
        await().atMost(Duration.ofSeconds(10)).until(() -> corpRoutes.getCorpIds().equals(corpsOf(owned)));
    }

    @Test
    void clusteredWithoutAClusterServiceFailsTheStartNamingWhatIsMissing() throws Exception {
        CamelContext without = new DefaultCamelContext();
        CorpRoutes routes = new CorpRoutes("corp", List::of);
        routes.setClustered(true);
        without.addService(routes);
        try {
            assertThatThrownBy(without::start).hasStackTraceContaining("CorpRoutes is clustered but the CamelContext"
                    + " has no cluster service");
        } finally {
            without.stop();
        }
    }

    private List<Integer> shardsOwnedBy(String member, Set<String> members) {
        return IntStream.range(0, SHARDS).filter(s -> CorpRoutes.owner(corpRoutes.shardNamespace(s), members)
                .equals(member)).boxed().toList();
    }

    private Set<String> corpsOf(List<Integer> shards) {
        return corps.stream().filter(c -> shards.contains(corpRoutes.shardOf(c)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> namespaces(List<Integer> shards) {
        return shards.stream().map(corpRoutes::shardNamespace).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Members and leaderships as the test sets them; notes which shard views were given up and which of the shard's
     * routes were still in the context at that moment.
     */
    final class ScriptedClusterService extends AbstractCamelClusterService<ScriptedView> {
        final Set<String> members = ConcurrentHashMap.newKeySet();
        final Set<String> leading = ConcurrentHashMap.newKeySet();
        final Map<String, ScriptedView> views = new ConcurrentHashMap<>();
        final List<String> released = new CopyOnWriteArrayList<>();
        final Map<String, List<String>> routesAtRelease = new ConcurrentHashMap<>();
        /** Cut off from the cluster: reading the members waits, then fails, as ZooKeeper's view does. */
        volatile boolean disconnected;
        /** Reads of the members waiting for the connection now. */
        final AtomicInteger waitingReads = new AtomicInteger();

        ScriptedClusterService(String id) {
            super(id);
        }

        @Override
        protected ScriptedView createView(String namespace) {
            ScriptedView view = new ScriptedView(this, namespace);
            views.put(namespace, view);
            return view;
        }

        /** The shard views held now (started, not given up). */
        Set<String> joined() {
            return views.values().stream().filter(v -> v.isStarted() && !v.getNamespace().equals("wecom-corps"))
                    .map(CamelClusterView::getNamespace).collect(Collectors.toCollection(TreeSet::new));
        }

        void lead(String namespace, boolean lead) {
            if (lead) {
                leading.add(namespace);
            } else {
                leading.remove(namespace);
            }
            ScriptedView view = views.get(namespace);
            if (view != null) {
                view.leadershipChanged();
            }
        }

        /**
         * Every view leaves its election (leaderships end without an event, as Curator cancels them), and with
         * {@code expired} this replica is no member of the view of the members either, until a view is started again.
         */
        void leaveElections(boolean expired) {
            leading.clear();
            views.values().stream().filter(v -> expired || !v.getNamespace().equals("wecom-corps"))
                    .forEach(v -> v.participating = false);
        }

        /** Whether the view of {@code namespace} is in its election (this replica among its members). */
        boolean participates(String namespace) {
            ScriptedView view = views.get(namespace);
            return view != null && view.isStarted() && view.participating;
        }

        @Override
        public void releaseView(CamelClusterView view) throws Exception {
            if (!view.getNamespace().equals("wecom-corps") && context.isStarted()) {
                released.add(view.getNamespace());
                List<String> left = new ArrayList<>();
                for (String corp : corps) {
                    if (corpRoutes.shardNamespace(corpRoutes.shardOf(corp)).equals(view.getNamespace())
                            && context.getRoute(corpRoutes.routeId(corp)) != null) {
                        left.add(corp);
                    }
                }
                routesAtRelease.put(view.getNamespace(), left);
            }
            super.releaseView(view);
        }
    }

    final class ScriptedView extends AbstractCamelClusterView {
        private final ScriptedClusterService service;
        private final CamelClusterMember local;
        /** In its election: from each start until {@link ScriptedClusterService#leaveElections}. */
        volatile boolean participating;

        ScriptedView(ScriptedClusterService service, String namespace) {
            super(service, namespace);
            this.service = service;
            this.local = member(service.getId());
        }

        void leadershipChanged() {
            fireLeadershipChangedEvent(getLeader());
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return local.isLeader() ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            if (service.disconnected) {
                // Curator's retry loop: wait for the connection up to its timeout, then fail
                service.waitingReads.incrementAndGet();
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                    while (service.disconnected && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    service.waitingReads.decrementAndGet();
                }
                if (service.disconnected) {
                    throw new IllegalStateException("ConnectionLoss for /wecom-corps");
                }
            }
            // ZooKeeper's view lists the participants of its election
            return service.members.stream().filter(id -> participating || !id.equals(service.getId()))
                    .map(this::member).toList();
        }

        private CamelClusterMember member(String id) {
            return new CamelClusterMember() {
                @Override
                public boolean isLeader() {
                    return id.equals(service.getId()) && isStarted() && participating
                            && service.leading.contains(getNamespace());
                }

                @Override
                public boolean isLocal() {
                    return id.equals(service.getId());
                }

                @Override
                public String getId() {
                    return id;
                }
            };
        }

        @Override
        protected void doStart() {
            participating = true;
        }

        @Override
        protected void doStop() {
        }

        @Override
        public CamelClusterService getClusterService() {
            return service;
        }
    }
}
