package io.github.camelwecom.groupmsg.corps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which corps this replica runs, and their routes kept in line with it: every corp of the source, or with a cluster
 * service those of the shards it owns and leads. Changes to the routes and the elections happen under this object's
 * lock; reading the members does not, as a cut-off cluster makes it wait.
 */
final class CorpSync {

    // under CorpRoutes, the name users configure logging by
    private static final Logger LOG = LoggerFactory.getLogger(CorpRoutes.class);

    private final CorpRoutes corps;
    private final CorpRouteTable routes;
    /** This replica in the view of the members; null without a cluster service, or before it joined. */
    private volatile MemberView view;
    private ShardElections elections;
    /** The members the routes were last matched to; null before the first refresh or without a cluster service. */
    private volatile Set<String> members;

    CorpSync(CorpRoutes corps) {
        this.corps = corps;
        this.routes = new CorpRouteTable(corps);
    }

    synchronized Set<String> corpIds() {
        return new TreeSet<>(routes.corpIds());
    }

    synchronized void join(MemberView view, ShardElections elections) {
        this.view = view;
        this.elections = elections;
    }

    /** Leaves the shards' elections, then the view of the members; the routes stay. */
    void leave() throws Exception {
        MemberView joined = view;
        if (joined != null) {
            synchronized (this) {
                elections.leaveAll();
            }
            joined.release();
            view = null;
            members = null;
        }
    }

    boolean isMember() {
        return view != null;
    }

    /** Whether the routes were matched to the members at least once since this replica joined. */
    boolean isMatched() {
        return members != null;
    }

    /**
     * Reads the source and adds, replaces or removes routes to match it. The members are read before taking the lock: a
     * cut-off cluster makes that wait (ZooKeeper retries up to its connection timeout), and dropping the routes of
     * shards no longer led must not wait for it.
     */
    void refresh() throws Exception {
        refresh(currentMembers());
    }

    private synchronized void refresh(Set<String> membersNow) throws Exception {
        String local = view == null ? null : view.localId();
        Map<String, Map<String, Object>> wanted = readCorps();
        Set<Integer> owned = new TreeSet<>();
        Set<Integer> led = Set.of();
        Set<Integer> running = new TreeSet<>();
        if (membersNow != null) {
            wanted.keySet().stream().filter(corpId -> corps.ownerOf(corpId, membersNow).equals(local))
                    .map(corps::shardOf).forEach(owned::add);
            elections.join(owned);
            led = elections.leading();
            running.addAll(owned);
            running.retainAll(led);
            wanted.keySet().removeIf(corpId -> !running.contains(corps.shardOf(corpId)));
        }
        List<String> removed = removeRoutesNotIn(wanted, owned);
        List<String> added = addRoutesOf(wanted, membersNow);
        if (!added.isEmpty() || !removed.isEmpty()) {
            LOG.info("Routes of template {}: {} corps{}; started {}, removed {}", corps.getTemplateId(), routes.size(),
                    membersNow == null ? "" : " in the " + running.size() + " of its " + owned.size()
                            + " shards " + local + " leads, members " + membersNow,
                    brief(added), brief(removed));
        }
        if (membersNow != null && !membersNow.equals(members)) {
            corps.shareCallBudget(membersNow.size());
        }
        members = membersNow;
        if (elections != null) {
            elections.noteLed(led);
        }
    }

    /** The source's corps by corpId, those without one left out. */
    private Map<String, Map<String, Object>> readCorps() throws Exception {
        CorpSource source = corps.getSource();
        Map<String, Map<String, Object>> read = new LinkedHashMap<>();
        for (Map<String, Object> corp : source.corps()) {
            Object corpId = corp.get(CorpSource.CORP_ID);
            if (corpId == null || corpId.toString().isBlank()) {
                LOG.warn("A corp from {} has no {}: skipped", source, CorpSource.CORP_ID);
            } else {
                read.put(corpId.toString(), corp);
            }
        }
        return read;
    }

    /**
     * Removes the routes that are not wanted as they are, shard by shard, and leaves the election of each shard no
     * longer owned once its routes have stopped, so that its next owner can start while other shards are still handed
     * on.
     */
    private List<String> removeRoutesNotIn(Map<String, Map<String, Object>> wanted, Set<Integer> owned)
            throws Exception {
        Map<Integer, List<String>> byShard = byShard(routes.corpIds());
        if (elections != null) {
            elections.joined().forEach(shard -> byShard.computeIfAbsent(shard, s -> new ArrayList<>()));
        }
        List<String> removed = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> shard : byShard.entrySet()) {
            for (String corpId : shard.getValue()) {
                if (!routes.isMadeWith(corpId, wanted.get(corpId))) {
                    routes.remove(corpId);
                    if (!wanted.containsKey(corpId)) {
                        removed.add(corpId);
                    }
                }
            }
            if (elections != null && elections.isJoined(shard.getKey()) && !owned.contains(shard.getKey())) {
                elections.leave(shard.getKey());
            }
        }
        return removed;
    }

    /**
     * Adds the wanted corps' missing routes, shard by shard; stops early when the members changed meanwhile, as the
     * corps are then shared out again at the next membership check.
     */
    private List<String> addRoutesOf(Map<String, Map<String, Object>> wanted, Set<String> membersNow) {
        Map<Integer, List<String>> byShard = byShard(wanted.keySet().stream().filter(id -> !routes.has(id)).toList());
        List<String> added = new ArrayList<>();
        for (List<String> shard : byShard.values()) {
            if (membersNow != null && !added.isEmpty() && !membersNow.equals(currentMembers())) {
                break;
            }
            for (String corpId : shard) {
                if (routes.add(corpId, wanted.get(corpId))) {
                    added.add(corpId);
                }
            }
        }
        return added;
    }

    private Map<Integer, List<String>> byShard(Collection<String> corpIds) {
        Map<Integer, List<String>> byShard = new TreeMap<>();
        corpIds.forEach(corpId -> byShard.computeIfAbsent(corps.shardOf(corpId), s -> new ArrayList<>()).add(corpId));
        return byShard;
    }

    /**
     * Whether the members or this replica's leaderships changed since the routes were last matched; first enters again
     * the elections it left without meaning to.
     */
    boolean membersOrLeadershipsChanged() throws Exception {
        Set<String> membersNow = currentMembers();
        reenter();
        return !membersNow.equals(members) || leadershipsChanged();
    }

    private synchronized void reenter() throws Exception {
        elections.reenter(view.localId(), view.dropped());
    }

    private synchronized boolean leadershipsChanged() {
        return !elections.leading().equals(elections.lastLed());
    }

    /**
     * Removes the routes of shards this replica no longer leads, asking the cluster nothing: a replica cut off from
     * ZooKeeper loses its leaderships (Curator cancels them when the connection is suspended, before the session can
     * expire and another replica take over) while reading the members fails, so the corps must stop here without a
     * refresh. They come back through a refresh once the shard is led again.
     */
    synchronized void dropShardsNoLongerLed() {
        Set<Integer> led = elections.leading();
        if (led.containsAll(elections.lastLed())) {
            return;
        }
        List<String> dropped = new ArrayList<>();
        for (String corpId : new ArrayList<>(routes.corpIds())) {
            if (!led.contains(corps.shardOf(corpId))) {
                try {
                    routes.remove(corpId);
                    dropped.add(corpId);
                } catch (Exception e) {
                    LOG.warn("Cannot remove the route of corp {} whose shard this replica no longer leads: {}", corpId,
                            e.getMessage());
                }
            }
        }
        elections.noteLed(led);
        if (!dropped.isEmpty()) {
            MemberView joined = view;
            LOG.warn("Routes of template {}: stopped {} of shards {} no longer leads", corps.getTemplateId(),
                    brief(dropped), joined == null ? "this replica" : joined.localId());
        }
    }

    /** The ids of the view's members, this replica's included; null without a cluster service. */
    private Set<String> currentMembers() {
        MemberView joined = view;
        return joined == null ? null : joined.read();
    }

    /** The corps, or how many when they are more than a log line should list. */
    private static String brief(List<String> corpIds) {
        return corpIds.size() <= 20 ? corpIds.toString() : corpIds.size() + " corps";
    }
}
