package io.github.camelwecom.groupmsg.corps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.StartupListener;
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
 */
public class CorpRoutes extends ServiceSupport implements CamelContextAware, StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(CorpRoutes.class);

    private CamelContext camelContext;
    private String templateId;
    private CorpSource source;
    private String routeIdPrefix;
    private Duration refreshInterval = Duration.ofMinutes(1);

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
        Map<String, Map<String, Object>> wanted = new LinkedHashMap<>();
        for (Map<String, Object> corp : source.corps()) {
            Object corpId = corp.get(CorpSource.CORP_ID);
            if (corpId == null || corpId.toString().isBlank()) {
                LOG.warn("A corp from {} has no {}: skipped", source, CorpSource.CORP_ID);
                continue;
            }
            wanted.put(corpId.toString(), corp);
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
            LOG.info("Routes of template {}: {} corps; started {}, removed {}", templateId, routes.size(), added,
                    removed);
        }
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
}
