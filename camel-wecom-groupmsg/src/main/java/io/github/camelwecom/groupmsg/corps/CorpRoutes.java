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
 * With a {@code clusterService}, several replicas share the corps: each joins the view {@code clusterNamespace} and
 * keeps only the corps it owns, by rendezvous hashing of the corp id over the ids of the view's members
 * ({@link #owner}). A replica that leaves or dies gives up only its own corps, to the others; one that joins takes
 * about its share. Ownership spreads the corps but does not make a corp's polling exclusive while members come and
 * go: the template's {@code from} should be {@code master:wecom-<corpId>:wecom-groupmsg:...} on the same cluster
 * service, so a new owner polls only once the old one removed its route or died.
 */
public class CorpRoutes extends ServiceSupport implements CamelContextAware, StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(CorpRoutes.class);

    private CamelContext camelContext;
    private String templateId;
    private CorpSource source;
    private String routeIdPrefix;
    private Duration refreshInterval = Duration.ofMinutes(1);
    private CamelClusterService clusterService;
    private String clusterNamespace = "wecom-corps";
    private Duration membershipCheckInterval = Duration.ofSeconds(1);

    private CamelClusterView view;
    /** The members the routes were last matched to; null before the first refresh or without a cluster service. */
    private volatile Set<String> members;
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
    public synchronized void refresh() throws Exception {
        Set<String> membersNow = currentMembers();
        String local = view == null ? null : view.getLocalMember().getId();
        Map<String, Map<String, Object>> wanted = new LinkedHashMap<>();
        for (Map<String, Object> corp : source.corps()) {
            Object corpId = corp.get(CorpSource.CORP_ID);
            if (corpId == null || corpId.toString().isBlank()) {
                LOG.warn("A corp from {} has no {}: skipped", source, CorpSource.CORP_ID);
                continue;
            }
            if (membersNow == null || owner(corpId.toString(), membersNow).equals(local)) {
                wanted.put(corpId.toString(), corp);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String corpId : new ArrayList<>(routes.keySet())) {
            if (!routes.get(corpId).equals(wanted.get(corpId))) {
                removeRoute(corpId);
                if (!wanted.containsKey(corpId)) {
                    removed.add(corpId);
                }
            }
        }
        List<String> added = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> corp : wanted.entrySet()) {
            if (!routes.containsKey(corp.getKey()) && addRoute(corp.getKey(), corp.getValue())) {
                added.add(corp.getKey());
            }
        }
        if (!added.isEmpty() || !removed.isEmpty()) {
            LOG.info("Routes of template {}: {} corps{}; started {}, removed {}", templateId, routes.size(),
                    membersNow == null ? "" : " owned by " + local + " of members " + membersNow, added, removed);
        }
        members = membersNow;
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
        ids.add(local);
        // ZooKeeper's view lists every live participant, this one too once its node is written
        for (CamelClusterMember member : view.getMembers()) {
            if (member.getId() != null && !member.getId().isBlank()) {
                ids.add(member.getId());
            }
        }
        return ids;
    }

    /**
     * The member that owns a corp: the one with the highest weight for it (rendezvous hashing). Depends only on the
     * ids, so every replica that sees the same members picks the same owner, and a member leaving moves only its own
     * corps.
     */
    public static String owner(String corpId, Collection<String> memberIds) {
        String owner = null;
        long best = 0;
        for (String member : memberIds) {
            long weight = weight(member, corpId);
            if (owner == null || Long.compareUnsigned(weight, best) > 0
                || weight == best && member.compareTo(owner) < 0) {
                owner = member;
                best = weight;
            }
        }
        return owner;
    }

    /** FNV-1a of both ids, then SplitMix64's finalizer so that ids differing in one character weigh unrelated. */
    private static long weight(String member, String corpId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (member + '\0' + corpId).getBytes(StandardCharsets.UTF_8)) {
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
        if (clusterService != null) {
            if (membershipCheckInterval.isNegative() || membershipCheckInterval.isZero()) {
                throw new IllegalArgumentException("Invalid membershipCheckInterval=" + membershipCheckInterval
                                                   + ": must be positive");
            }
            // joining the view makes this replica a member the others see
            view = clusterService.getView(clusterNamespace);
            view.addEventListener(membershipListener);
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
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        schedule();
    }

    private void schedule() {
        scheduler.scheduleWithFixedDelay(this::refreshLogged, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (view != null) {
            // ZooKeeper's view (Camel 4.18) tells no membership changes: look at the members too
            scheduler.scheduleWithFixedDelay(this::refreshIfMembersChanged, membershipCheckInterval.toMillis(),
                    membershipCheckInterval.toMillis(), TimeUnit.MILLISECONDS);
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
            if (!currentMembers().equals(members)) {
                refreshLogged();
            }
        } catch (Exception e) {
            LOG.warn("Cannot read the members of cluster view {}: {}; routes left as they are", clusterNamespace,
                    e.getMessage());
            LOG.debug("The failure above", e);
        }
    }

    private void refreshLogged() {
        try {
            refresh();
        } catch (Exception e) {
            LOG.warn("Cannot read the corps from {}: {}; routes left as they are", source, e.getMessage());
            LOG.debug("The failure above", e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (scheduler != null) {
            camelContext.getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        if (view != null) {
            view.removeEventListener(membershipListener);
            clusterService.releaseView(view);
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
     * How often the view's members are read, for cluster services that do not tell membership changes (ZooKeeper's
     * does not); default one second.
     */
    public void setMembershipCheckInterval(Duration membershipCheckInterval) {
        this.membershipCheckInterval = Objects.requireNonNull(membershipCheckInterval, "membershipCheckInterval");
    }
}
