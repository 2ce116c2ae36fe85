package io.github.camelwecom.groupmsg.corps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The elections this replica is in: one cluster view per shard it owns, joined when it comes to own the shard and left
 * when it no longer does, and whose leadership lets it run the shard's routes. Not thread-safe: {@link CorpSync} calls
 * it under its lock, except {@link #lastLed()}.
 */
final class ShardElections {

    // under CorpRoutes, the name users configure logging by
    private static final Logger LOG = LoggerFactory.getLogger(CorpRoutes.class);

    private final CamelClusterService cluster;
    /** The view of the members ({@code clusterNamespace}), which an expired session leaves too. */
    private final String membersNamespace;
    private final IntFunction<String> shardNamespace;
    private final CamelClusterEventListener.Leadership listener;
    /** The views of the shards this replica owns: in each one's election while owned, leading or waiting. */
    private final Map<Integer, CamelClusterView> views = new HashMap<>();
    /** Owned shards whose leadership this replica lost: it may have left their elections ({@link #reenter}). */
    private final Set<Integer> left = new TreeSet<>();
    /** The shards led when the routes were last matched; compared, like the members, at each membership check. */
    private volatile Set<Integer> led = Set.of();
    /** Views restarted at the last membership check: given until the next one to list this replica. */
    private Set<String> restarted = Set.of();

    ShardElections(CamelClusterService cluster, String membersNamespace, IntFunction<String> shardNamespace,
            Runnable onLeadershipChange) {
        this.cluster = cluster;
        this.membersNamespace = membersNamespace;
        this.shardNamespace = shardNamespace;
        this.listener = (shardView, leader) -> onLeadershipChange.run();
    }

    /** Joins the elections of the shards not joined yet; the leadership comes later, as an event. */
    void join(Set<Integer> shards) {
        shards.forEach(shard -> views.computeIfAbsent(shard, this::join));
    }

    private CamelClusterView join(int shard) {
        try {
            CamelClusterView shardView = cluster.getView(shardNamespace.apply(shard));
            shardView.addEventListener(listener);
            return shardView;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot join the cluster view " + shardNamespace.apply(shard), e);
        }
    }

    /** The shards joined, a copy. */
    Set<Integer> joined() {
        return new TreeSet<>(views.keySet());
    }

    boolean isJoined(int shard) {
        return views.containsKey(shard);
    }

    void leave(int shard) throws Exception {
        CamelClusterView shardView = views.remove(shard);
        shardView.removeEventListener(listener);
        cluster.releaseView(shardView);
    }

    void leaveAll() throws Exception {
        for (Integer shard : joined()) {
            leave(shard);
        }
    }

    /** The shards this replica leads now, as the cluster service last told it. */
    Set<Integer> leading() {
        Set<Integer> leading = new TreeSet<>();
        views.forEach((shard, shardView) -> {
            if (shardView.getLocalMember().isLeader()) {
                leading.add(shard);
            }
        });
        return leading;
    }

    /** The shards led when the routes were last matched. */
    Set<Integer> lastLed() {
        return led;
    }

    /** Notes the shards led now, and those whose leadership was lost since. */
    void noteLed(Set<Integer> ledNow) {
        led.stream().filter(shard -> !ledNow.contains(shard)).forEach(left::add);
        led = ledNow;
    }

    /**
     * Enters again the elections this replica left without meaning to. ZooKeeper's view (Camel 4.18) enters its
     * election once: a leadership Curator cancels (the connection was suspended) leaves that election, and a session
     * that expired leaves them all, so a shard this replica still owns would have no leader, and after an expiry the
     * other replicas would not see it as a member again. Restarting a view enters its election again; each is looked at
     * until it lists this replica (the view of the members at each check, a shard's only after its leadership went). A
     * view restarted is given until the next check to list it.
     */
    void reenter(String local, boolean droppedFromMembers) throws Exception {
        Set<String> restartedNow = new TreeSet<>();
        if (droppedFromMembers && !restarted.contains(membersNamespace)) {
            LOG.warn("Replica {} is no member of cluster view {} any more (its session expired?): joins it again",
                    local, membersNamespace);
            restart(membersNamespace, restartedNow);
            // an expired session left the elections it waited in too
            left.addAll(views.keySet());
        }
        left.retainAll(views.keySet());
        List<Integer> reentered = new ArrayList<>();
        for (Integer shard : new ArrayList<>(left)) {
            CamelClusterView shardView = views.get(shard);
            if (shardView.getLocalMember().isLeader()
                    || shardView.getMembers().stream().anyMatch(m -> local.equals(m.getId()))) {
                left.remove(shard);
            } else if (!restarted.contains(shardNamespace.apply(shard))) {
                restart(shardNamespace.apply(shard), restartedNow);
                reentered.add(shard);
            }
        }
        if (!reentered.isEmpty()) {
            LOG.info("Replica {} enters again the elections of shards {}, which it owns and had left", local,
                    reentered);
        }
        restarted = restartedNow;
    }

    private void restart(String namespace, Set<String> restartedNow) throws Exception {
        cluster.stopView(namespace);
        cluster.startView(namespace);
        restartedNow.add(namespace);
    }
}
