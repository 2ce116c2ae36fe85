package io.github.camelwecom.groupmsg.corps;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.StartupListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One route per corp, made from a route template and kept in step with a {@link CorpSource}: a corp that appears gets
 * its route, one that disappears has its route stopped and removed, and one whose parameters changed gets a new route.
 * Checked once the context has started and then every {@code refreshInterval}, or at once by {@link #refresh()} (e.g.
 * from an authorization callback). The routes share the component's token cache, HTTP client and scheduler like any
 * other endpoints of it; a removed corp's checkpoint stays in its state repository, so a corp that comes back continues
 * where it stopped.
 * <p>
 * With a {@code clusterService}, several replicas share the corps: each joins the view {@code clusterNamespace}, and
 * the corps are hashed into {@code shards} shards, each owned by one member by rendezvous hashing of the shard over the
 * ids of the view's members ({@link #owner}). A replica that leaves or dies gives up only its own shards, to the
 * others; one that joins takes about its share. A replica runs the routes of a shard it owns only while it holds the
 * leadership of the shard's own view ({@code clusterNamespace-<shard>}), and gives the leadership up only after those
 * routes have stopped, so a corp is polled by one replica at a time while members come and go. A replica that lost its
 * connection, or its session, enters the elections it left again once it reaches the cluster. The template needs no
 * {@code master:}: one leadership per shard instead of one per corp keeps the cluster service's threads, elections (or
 * leases) and watches to a few dozen per replica, however many corps there are. The members share the calling IP's call
 * budget: each keeps the part of it the component's {@code callBudgetReplicas} says, set here as the view changes.
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
    private int egressIps = 1;

    /** The routes this replica runs and the elections it is in, kept in line with the source and the cluster. */
    private final CorpSync sync = new CorpSync(this);
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
    public Set<String> getCorpIds() {
        return sync.corpIds();
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
        if (isClustered() && !sync.isMember()) {
            return; // not a member yet: no corp is this replica's before it has joined
        }
        sync.refresh();
    }

    /** The shard (0 to {@code shards - 1}) a corp belongs to. */
    public int shardOf(String corpId) {
        return Rendezvous.bucket(corpId, shards);
    }

    /** The member that owns a corp: the owner of its shard's view among {@code memberIds}. */
    public String ownerOf(String corpId, Collection<String> memberIds) {
        return owner(shardNamespace(shardOf(corpId)), memberIds);
    }

    /** The view whose leader runs a shard's routes: {@code clusterNamespace-<shard>}. */
    public String shardNamespace(int shard) {
        return clusterNamespace + "-" + shard;
    }

    /**
     * The member that owns a key: the one with the highest weight for it (rendezvous hashing). Depends only on the ids,
     * so every replica that sees the same members picks the same owner, and a member leaving moves only its own keys.
     */
    public static String owner(String key, Collection<String> memberIds) {
        return Rendezvous.owner(key, memberIds);
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
            joinCluster();
        }
        scheduler.scheduleWithFixedDelay(this::refreshLogged, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (sync.isMember()) {
            long check = membershipCheckInterval.toMillis();
            // ZooKeeper's view (Camel 4.18) tells no membership changes: look at the members too
            scheduler.scheduleWithFixedDelay(this::refreshIfMembersChanged, check, check, TimeUnit.MILLISECONDS);
            leadershipWatch = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                    "WecomCorpRoutesLeadership");
            leadershipWatch.scheduleWithFixedDelay(this::watchLeaderships, check, check, TimeUnit.MILLISECONDS);
        }
    }

    /** Joins the view of the members, which makes this replica a member the others see. */
    private void joinCluster() throws Exception {
        // the context's cluster service (camel.cluster.*) is there once the context has started
        CamelClusterService cluster = clusterService != null ? clusterService
                : ClusterServiceHelper.lookupService(camelContext)
                        .orElseThrow(() -> new IllegalStateException("CorpRoutes is clustered but the CamelContext has"
                                + " no cluster service: configure one"
                                + " (camel.cluster.*) or set clusterService"));
        MemberView view = MemberView.join(cluster, clusterNamespace, this::refreshSoon);
        sync.join(view, new ShardElections(cluster, clusterNamespace, this::shardNamespace, this::refreshSoon));
    }

    /**
     * Runs on a thread of its own ({@link #leadershipWatch}): a membership check that began as the connection went
     * waits on ZooKeeper for up to its connection timeout, and the routes of shards no longer led must not wait for it.
     */
    private void watchLeaderships() {
        try {
            sync.dropShardsNoLongerLed();
        } catch (RuntimeException e) {
            // a scheduled task that throws is not run again
            LOG.warn("Cannot look at the leaderships of template {}'s shards: {}", templateId, e.getMessage());
        }
    }

    /** On the scheduler's thread, not the cluster service's, which must not wait for routes to stop. */
    private void refreshSoon() {
        ScheduledExecutorService scheduler = this.scheduler;
        if (scheduler != null && sync.isMatched()) {
            try {
                scheduler.execute(this::refreshLogged);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private void refreshIfMembersChanged() {
        try {
            if (sync.membersOrLeadershipsChanged()) {
                refreshLogged();
            }
        } catch (Exception e) {
            LOG.warn("Cannot read the members of cluster view {}: {}; routes of the shards this replica still leads "
                    + "are left as they are", clusterNamespace, e.getMessage());
            LOG.debug("The failure above", e);
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
        sync.leave();
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

    public int getEgressIps() {
        return egressIps;
    }

    /**
     * From how many IPs the replicas call WeCom; default 1 (one NAT gateway). WeCom limits calls per IP: the members
     * behind one IP (the view's members divided by this, rounded up) share its call budget.
     */
    public void setEgressIps(int egressIps) {
        if (egressIps < 1) {
            throw new IllegalArgumentException("Invalid egressIps=" + egressIps + ": must be at least 1");
        }
        this.egressIps = egressIps;
    }

    /** The view has {@code members} now: this replica keeps its part of the IP's call budget. */
    void shareCallBudget(int members) {
        int replicas = Math.max(1, (members + egressIps - 1) / egressIps);
        WecomGroupMsgComponent component = camelContext.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class);
        if (component != null && component.getCallBudgetReplicas() != replicas) {
            component.setCallBudgetReplicas(replicas);
            LOG.info("Call budget: {} replicas share this IP's calls to WeCom ({} members, {} egress IPs)", replicas,
                    members, egressIps);
        }
    }
}
