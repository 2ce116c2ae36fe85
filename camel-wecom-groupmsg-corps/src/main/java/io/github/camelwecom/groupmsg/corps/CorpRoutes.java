package io.github.camelwecom.groupmsg.corps;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.StartupListener;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One route per corp, made from a route template and kept in step with a {@link CorpSource}: a corp that appears
 * gets its route, one that disappears has its route stopped and removed, and one whose parameters changed gets a
 * new route. Checked once the context has started and then every {@code refreshInterval}, or at once by
 * {@link #refresh()} (e.g. from an authorization callback). The routes share the component's token cache, HTTP client
 * and scheduler like any other endpoints of it; a removed corp's checkpoint stays in its state repository, so a corp
 * that comes back continues where it stopped.
 * <p>
 * With a {@code clusterService}, several replicas share the corps: each joins the view {@code clusterNamespace}, and
 * the corps are hashed into {@code shards} shards, each owned by one member by rendezvous hashing of the shard over
 * the ids of the view's members ({@link #owner}). A replica that leaves or dies gives up only its own shards, to the
 * others; one that joins takes about its share. A replica runs the routes of a shard it owns only while it holds the
 * leadership of the shard's own view ({@code clusterNamespace-<shard>}), and gives the leadership up only after
 * those routes have stopped, so a corp is polled by one replica at a time while members come and go. A replica that
 * lost its connection, or its session, enters the elections it left again once it reaches the cluster. The template
 * needs no {@code master:}: one leadership per shard instead of one per corp keeps the cluster service's threads,
 * elections (or leases) and watches to a few dozen per replica, however many corps there are.
 */
public class CorpRoutes extends ServiceSupport implements CamelContextAware, StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(CorpRoutes.class);

    private CamelContext camelContext;
    private String templateId;
    private CorpSource source;
    private String routeIdPrefix;
    private Duration refreshInterval = Duration.ofMinutes(1);
    private CamelClusterService clusterService;
    private boolean clustered;
    private String clusterNamespace = "wecom-corps";
    private Duration membershipCheckInterval = Duration.ofSeconds(1);
    private int shards = 64;

    /** The cluster service in use: {@code clusterService}, or the context's when {@code clustered}. */
    private CamelClusterService cluster;
    private volatile CamelClusterView view;
    /** The members the routes were last matched to; null before the first refresh or without a cluster service. */
    private volatile Set<String> members;
    /** The shards led when the routes were last matched; compared, like the members, at each membership check. */
    private volatile Set<Integer> ledShards = Set.of();
    /** The views of the shards this replica owns: in each one's election while owned, leading or waiting. */
    private final Map<Integer, CamelClusterView> shardViews = new HashMap<>();
    /** Owned shards whose leadership this replica lost: it may have left their elections ({@link #reenter}). */
    private final Set<Integer> leftElections = new TreeSet<>();
    /** Whether the view listed this replica among its members at the last read; null before the first. */
    private volatile Boolean listedSelf;
    /** Whether the view has listed this replica since it joined (or joined again). */
    private boolean wasListed;
    /** Views restarted at the last membership check: given until the next one to list this replica. */
    private Set<String> restarted = Set.of();
    private final CamelClusterEventListener.Leadership leadershipListener = (shardView, leader) -> refreshSoon();
    private final CamelClusterEventListener.Membership membershipListener = new CamelClusterEventListener.Membership() {
        @Override
        public void memberAdded(CamelClusterView view, CamelClusterMember member) {
            refreshSoon();
        }

        @Override
        public void memberRemoved(CamelClusterView view, CamelClusterMember member) {
            refreshSoon();
        }
    };

    /** corpId to the parameters its running route was made with. */
    private final Map<String, Map<String, Object>> routes = new HashMap<>();
    private ScheduledExecutorService scheduler;
    /** Drops the routes of shards no longer led, on a thread of its own: reading members may wait long. */
    private ScheduledExecutorService leadershipWatch;

    public CorpRoutes() {
    }

    public CorpRoutes(String templateId, CorpSource source) {
        this.templateId = templateId;
        this.source = source;
    }

    /** The corps with a route now. */
    public synchronized Set<String> getCorpIds() {
        return new TreeSet<>(routes.keySet());
    }

    /** The id of a corp's route: {@code routeIdPrefix + corpId}. */
    public String routeId(String corpId) {
        return getRouteIdPrefix() + corpId;
    }

    /**
     * Reads the source and adds, replaces or removes routes to match it. A corp whose route cannot be made is logged
     * and tried again at the next refresh; a source that cannot be read leaves every route as it is.
     */
    public void refresh() throws Exception {
        if (isClustered() && view == null) {
            return; // not a member yet: no corp is this replica's before it has joined
        }
        // read before taking the lock: a cut-off cluster makes it wait (ZooKeeper retries up to its connection
        // timeout), and dropping the routes of shards no longer led must not wait for that
        refresh(currentMembers());
    }

    private synchronized void refresh(Set<String> membersNow) throws Exception {
        String local = view == null ? null : view.getLocalMember().getId();
        Map<String, Map<String, Object>> wanted = readCorps();
        Set<Integer> owned = new TreeSet<>();
        Set<Integer> led = Set.of();
        Set<Integer> running = new TreeSet<>();
        if (membersNow != null) {
            wanted.keySet().stream().filter(corpId -> ownerOf(corpId, membersNow).equals(local)).map(this::shardOf)
                    .forEach(owned::add);
            // join the elections of newly owned shards now: the leadership comes later, as an event
            owned.forEach(shard -> shardViews.computeIfAbsent(shard, this::joinShard));
            led = ledShards();
            running.addAll(owned);
            running.retainAll(led);
            wanted.keySet().removeIf(corpId -> !running.contains(shardOf(corpId)));
        }
        List<String> removed = removeRoutesNotIn(wanted, owned);
        List<String> added = addRoutesOf(wanted, membersNow);
        if (!added.isEmpty() || !removed.isEmpty()) {
            LOG.info("Routes of template {}: {} corps{}; started {}, removed {}", templateId, routes.size(),
                    membersNow == null ? "" : " in the " + running.size() + " of its " + owned.size()
                                              + " shards " + local + " leads, members " + membersNow,
                    brief(added), brief(removed));
        }
        members = membersNow;
        setLedShards(led);
    }

    /** Notes the shards led now, and those whose leadership was lost since. */
    private void setLedShards(Set<Integer> led) {
        ledShards.stream().filter(shard -> !led.contains(shard)).forEach(leftElections::add);
        ledShards = led;
    }

    /** The source's corps by corpId, those without one left out. */
    private Map<String, Map<String, Object>> readCorps() throws Exception {
        Map<String, Map<String, Object>> corps = new LinkedHashMap<>();
        for (Map<String, Object> corp : source.corps()) {
            Object corpId = corp.get(CorpSource.CORP_ID);
            if (corpId == null || corpId.toString().isBlank()) {
                LOG.warn("A corp from {} has no {}: skipped", source, CorpSource.CORP_ID);
            } else {
                corps.put(corpId.toString(), corp);
            }
        }
        return corps;
    }

    /**
     * Removes the routes that are not wanted as they are, shard by shard, and leaves the view of each shard no longer
     * owned once its routes have stopped, so that its next owner can start while other shards are still handed on.
     */
    private List<String> removeRoutesNotIn(Map<String, Map<String, Object>> wanted, Set<Integer> owned)
            throws Exception {
        Map<Integer, List<String>> byShard = new TreeMap<>();
        routes.keySet().forEach(corpId -> byShard.computeIfAbsent(shardOf(corpId), s -> new ArrayList<>()).add(corpId));
        shardViews.keySet().forEach(shard -> byShard.computeIfAbsent(shard, s -> new ArrayList<>()));
        List<String> removed = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> shard : byShard.entrySet()) {
            for (String corpId : shard.getValue()) {
                if (!routes.get(corpId).equals(wanted.get(corpId))) {
                    removeRoute(corpId);
                    if (!wanted.containsKey(corpId)) {
                        removed.add(corpId);
                    }
                }
            }
            if (shardViews.containsKey(shard.getKey()) && !owned.contains(shard.getKey())) {
                leaveShard(shard.getKey());
            }
        }
        return removed;
    }

    /**
     * Adds the wanted corps' missing routes, shard by shard; stops early when the members changed meanwhile, as the
     * corps are then shared out again at the next membership check.
     */
    private List<String> addRoutesOf(Map<String, Map<String, Object>> wanted, Set<String> membersNow) {
        Map<Integer, List<String>> byShard = new TreeMap<>();
        wanted.keySet().stream().filter(corpId -> !routes.containsKey(corpId))
                .forEach(corpId -> byShard.computeIfAbsent(shardOf(corpId), s -> new ArrayList<>()).add(corpId));
        List<String> added = new ArrayList<>();
        for (List<String> shard : byShard.values()) {
            if (membersNow != null && !added.isEmpty() && !membersNow.equals(currentMembers())) {
                break;
            }
            for (String corpId : shard) {
                if (addRoute(corpId, wanted.get(corpId))) {
                    added.add(corpId);
                }
            }
        }
        return added;
    }

    /** The corps, or how many when they are more than a log line should list. */
    private static String brief(List<String> corpIds) {
        return corpIds.size() <= 20 ? corpIds.toString() : corpIds.size() + " corps";
    }

    /** The shard (0 to {@code shards - 1}) a corp belongs to. */
    public int shardOf(String corpId) {
        return (int) Long.remainderUnsigned(hash(corpId), shards);
    }

    /** The member that owns a corp: the owner of its shard's view among {@code memberIds}. */
    public String ownerOf(String corpId, Collection<String> memberIds) {
        return owner(shardNamespace(shardOf(corpId)), memberIds);
    }

    /** The view whose leader runs a shard's routes: {@code clusterNamespace-<shard>}. */
    public String shardNamespace(int shard) {
        return clusterNamespace + "-" + shard;
    }

    private CamelClusterView joinShard(int shard) {
        try {
            CamelClusterView shardView = cluster.getView(shardNamespace(shard));
            shardView.addEventListener(leadershipListener);
            return shardView;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot join the cluster view " + shardNamespace(shard), e);
        }
    }

    private void leaveShard(int shard) throws Exception {
        CamelClusterView shardView = shardViews.remove(shard);
        shardView.removeEventListener(leadershipListener);
        cluster.releaseView(shardView);
    }

    private synchronized Set<Integer> ledShards() {
        Set<Integer> led = new TreeSet<>();
        shardViews.forEach((shard, shardView) -> {
            if (shardView.getLocalMember().isLeader()) {
                led.add(shard);
            }
        });
        return led;
    }

    /** The ids of the view's members, this replica's included; null without a cluster service. */
    private Set<String> currentMembers() {
        if (view == null) {
            return null;
        }
        String local = view.getLocalMember().getId();
        if (local == null || local.isBlank()) {
            throw new IllegalStateException("The cluster service has no id: give each replica its own");
        }
        Set<String> ids = new TreeSet<>();
        // ZooKeeper's view lists every live participant, this one too once its node is written
        for (CamelClusterMember member : view.getMembers()) {
            if (member.getId() != null && !member.getId().isBlank()) {
                ids.add(member.getId());
            }
        }
        listedSelf = ids.contains(local);
        ids.add(local);
        return ids;
    }

    /**
     * Enters again the elections this replica left without meaning to. ZooKeeper's view (Camel 4.18) enters its
     * election once: a leadership Curator cancels (the connection was suspended) leaves that election, and a session
     * that expired leaves them all, so a shard this replica still owns would have no leader, and after an expiry the
     * other replicas would not see it as a member again. Restarting a view enters its election again; each is looked
     * at until it lists this replica (the view of the members at each check, a shard's only after its leadership
     * went). A view restarted is given until the next check to list it.
     */
    private synchronized void reenter() throws Exception {
        String local = view.getLocalMember().getId();
        Set<String> restartedNow = new TreeSet<>();
        if (Boolean.TRUE.equals(listedSelf)) {
            wasListed = true;
        } else if (wasListed && !restarted.contains(clusterNamespace)) {
            LOG.warn("Replica {} is no member of cluster view {} any more (its session expired?): joins it again",
                    local, clusterNamespace);
            restart(clusterNamespace, restartedNow);
            // an expired session left the elections it waited in too
            leftElections.addAll(shardViews.keySet());
        }
        leftElections.retainAll(shardViews.keySet());
        List<Integer> reentered = new ArrayList<>();
        for (Integer shard : new ArrayList<>(leftElections)) {
            CamelClusterView shardView = shardViews.get(shard);
            if (shardView.getLocalMember().isLeader()
                || shardView.getMembers().stream().anyMatch(m -> local.equals(m.getId()))) {
                leftElections.remove(shard);
            } else if (!restarted.contains(shardNamespace(shard))) {
                restart(shardNamespace(shard), restartedNow);
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

    /**
     * The member that owns a key: the one with the highest weight for it (rendezvous hashing). Depends only on the
     * ids, so every replica that sees the same members picks the same owner, and a member leaving moves only its own
     * keys.
     */
    public static String owner(String key, Collection<String> memberIds) {
        String owner = null;
        long best = 0;
        for (String member : memberIds) {
            long weight = hash(member + '\0' + key);
            if (owner == null || Long.compareUnsigned(weight, best) > 0
                || weight == best && member.compareTo(owner) < 0) {
                owner = member;
                best = weight;
            }
        }
        return owner;
    }

    /** FNV-1a, then SplitMix64's finalizer so that ids differing in one character hash unrelated. */
    private static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private boolean addRoute(String corpId, Map<String, Object> parameters) {
        String routeId = routeId(corpId);
        if (camelContext.getRoute(routeId) != null) {
            LOG.warn("A route {} exists that is not made from template {}: corp {} skipped", routeId, templateId,
                    corpId);
            return false;
        }
        try {
            camelContext.addRouteFromTemplate(routeId, templateId, parameters);
            routes.put(corpId, parameters);
            return true;
        } catch (Exception e) {
            // the route may be half made: remove what there is, so the next refresh starts clean
            dropQuietly(routeId);
            LOG.warn("Cannot start the route of corp {} from template {}: {}; tried again at the next refresh", corpId,
                    templateId, e.getMessage());
            LOG.debug("The failure above", e);
            return false;
        }
    }

    private void removeRoute(String corpId) throws Exception {
        String routeId = routeId(corpId);
        camelContext.getRouteController().stopRoute(routeId);
        camelContext.removeRoute(routeId);
        routes.remove(corpId);
    }

    private void dropQuietly(String routeId) {
        try {
            if (camelContext.getRoute(routeId) != null) {
                camelContext.getRouteController().stopRoute(routeId);
                camelContext.removeRoute(routeId);
            }
        } catch (Exception e) {
            LOG.debug("Could not remove route {}", routeId, e);
        }
    }

    @Override
    protected void doStart() throws Exception {
        Objects.requireNonNull(camelContext, "camelContext");
        if (templateId == null || templateId.isBlank()) {
            throw new IllegalArgumentException(
                    "CorpRoutes needs the id of the route template to make corps' routes from");
        }
        Objects.requireNonNull(source, "source: the CorpSource listing the corps");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("Invalid refreshInterval=" + refreshInterval + ": must be positive");
        }
        if (isClustered() && (membershipCheckInterval.isNegative() || membershipCheckInterval.isZero())) {
            throw new IllegalArgumentException("Invalid membershipCheckInterval=" + membershipCheckInterval
                                               + ": must be positive");
        }
        scheduler = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "WecomCorpRoutes");
        if (camelContext.isStarted()) {
            schedule();
        } else {
            // routes are added once the context runs: a context still starting does not take new routes
            camelContext.addStartupListener(this);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        schedule();
    }

    private void schedule() throws Exception {
        if (isClustered()) {
            // the context's cluster service (camel.cluster.*) is there once the context has started
            cluster = clusterService != null ? clusterService : ClusterServiceHelper.lookupService(camelContext)
                    .orElseThrow(() -> new IllegalStateException("CorpRoutes is clustered but the CamelContext has no"
                                                                 + " cluster service: configure one (camel.cluster.*)"
                                                                 + " or set clusterService"));
            // joining the view makes this replica a member the others see
            CamelClusterView joined = cluster.getView(clusterNamespace);
            joined.addEventListener(membershipListener);
            synchronized (this) {
                view = joined;
            }
        }
        scheduler.scheduleWithFixedDelay(this::refreshLogged, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (view != null) {
            // ZooKeeper's view (Camel 4.18) tells no membership changes: look at the members too
            scheduler.scheduleWithFixedDelay(this::refreshIfMembersChanged, membershipCheckInterval.toMillis(),
                    membershipCheckInterval.toMillis(), TimeUnit.MILLISECONDS);
            leadershipWatch = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                    "WecomCorpRoutesLeadership");
            leadershipWatch.scheduleWithFixedDelay(this::watchLeaderships, membershipCheckInterval.toMillis(),
                    membershipCheckInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void watchLeaderships() {
        try {
            dropShardsNoLongerLed();
        } catch (RuntimeException e) {
            // a scheduled task that throws is not run again
            LOG.warn("Cannot look at the leaderships of template {}'s shards: {}", templateId, e.getMessage());
        }
    }

    /** On the scheduler's thread, not the cluster service's, which must not wait for routes to stop. */
    private void refreshSoon() {
        ScheduledExecutorService scheduler = this.scheduler;
        if (scheduler != null && members != null) {
            try {
                scheduler.execute(this::refreshLogged);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private void refreshIfMembersChanged() {
        try {
            Set<String> membersNow = currentMembers();
            reenter();
            if (!membersNow.equals(members) || !ledShards().equals(ledShards)) {
                refreshLogged();
            }
        } catch (Exception e) {
            LOG.warn("Cannot read the members of cluster view {}: {}; routes of the shards this replica still leads "
                     + "are left as they are", clusterNamespace, e.getMessage());
            LOG.debug("The failure above", e);
        }
    }

    /**
     * Removes the routes of shards this replica no longer leads, asking the cluster nothing: a replica cut off from
     * ZooKeeper loses its leaderships (Curator cancels them when the connection is suspended, before the session can
     * expire and another replica take over) while reading the members fails, so the corps must stop here without a
     * refresh. They come back through a refresh once the shard is led again. Runs on a thread of its own
     * ({@link #leadershipWatch}): a membership check that began as the connection went waits on ZooKeeper for up to
     * its connection timeout, and the routes must not wait for it.
     */
    private synchronized void dropShardsNoLongerLed() {
        Set<Integer> led = ledShards();
        if (led.containsAll(ledShards)) {
            return;
        }
        List<String> dropped = new ArrayList<>();
        for (String corpId : new ArrayList<>(routes.keySet())) {
            if (!led.contains(shardOf(corpId))) {
                try {
                    removeRoute(corpId);
                    dropped.add(corpId);
                } catch (Exception e) {
                    LOG.warn("Cannot remove the route of corp {} whose shard this replica no longer leads: {}", corpId,
                            e.getMessage());
                }
            }
        }
        setLedShards(led);
        if (!dropped.isEmpty()) {
            LOG.warn("Routes of template {}: stopped {} of shards {} no longer leads", templateId, brief(dropped),
                    view == null ? "this replica" : view.getLocalMember().getId());
        }
    }

    private void refreshLogged() {
        try {
            refresh();
        } catch (Exception e) {
            LOG.warn("Cannot refresh the routes of template {} from {}: {}; tried again at the next refresh",
                    templateId, source, e.getMessage());
            LOG.debug("The failure above", e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (leadershipWatch != null) {
            camelContext.getExecutorServiceManager().shutdownNow(leadershipWatch);
            leadershipWatch = null;
        }
        if (scheduler != null) {
            camelContext.getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        if (view != null) {
            synchronized (this) {
                for (Integer shard : new ArrayList<>(shardViews.keySet())) {
                    leaveShard(shard);
                }
            }
            view.removeEventListener(membershipListener);
            cluster.releaseView(view);
            view = null;
            members = null;
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public String getTemplateId() {
        return templateId;
    }

    /** The route template each corp's route is made from; its parameters are the source's columns. */
    public void setTemplateId(String templateId) {
        this.templateId = templateId;
    }

    public CorpSource getSource() {
        return source;
    }

    public void setSource(CorpSource source) {
        this.source = source;
    }

    public String getRouteIdPrefix() {
        return routeIdPrefix != null ? routeIdPrefix : templateId + "-";
    }

    /** Default: the template id and a dash. */
    public void setRouteIdPrefix(String routeIdPrefix) {
        this.routeIdPrefix = routeIdPrefix;
    }

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    /** How often the source is read again; default one minute. */
    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
    }

    public CamelClusterService getClusterService() {
        return clusterService;
    }

    /**
     * Shares the corps with the other replicas in the same cluster service's view {@code clusterNamespace}: this
     * replica keeps only the corps it owns. Each replica needs its own cluster service id. Default none: every corp.
     */
    public void setClusterService(CamelClusterService clusterService) {
        this.clusterService = clusterService;
    }

    public String getClusterNamespace() {
        return clusterNamespace;
    }

    /** The view whose members share the corps; default {@code wecom-corps}. */
    public void setClusterNamespace(String clusterNamespace) {
        this.clusterNamespace = Objects.requireNonNull(clusterNamespace, "clusterNamespace");
    }

    public Duration getMembershipCheckInterval() {
        return membershipCheckInterval;
    }

    /**
     * How often the view's members and the shards' leaderships are read, for cluster services that do not tell every
     * change (ZooKeeper's tells no membership changes); default one second.
     */
    public void setMembershipCheckInterval(Duration membershipCheckInterval) {
        this.membershipCheckInterval = Objects.requireNonNull(membershipCheckInterval, "membershipCheckInterval");
    }

    public boolean isClustered() {
        return clustered || clusterService != null;
    }

    /**
     * Shares the corps with the other replicas through the CamelContext's cluster service, e.g. the one
     * {@code camel.cluster.kubernetes.enabled = true} sets up on Camel K, when no {@code clusterService} is given.
     */
    public void setClustered(boolean clustered) {
        this.clustered = clustered;
    }

    public int getShards() {
        return shards;
    }

    /**
     * Into how many shards the corps are hashed with a {@code clusterService}; default 64. Each replica holds one
     * cluster view (a ZooKeeper election, a Kubernetes lease) per shard it owns: more shards spread the corps more
     * evenly over the replicas, fewer cost less. Every replica must use the same number.
     */
    public void setShards(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("Invalid shards=" + shards + ": must be at least 1");
        }
        this.shards = shards;
    }
}
