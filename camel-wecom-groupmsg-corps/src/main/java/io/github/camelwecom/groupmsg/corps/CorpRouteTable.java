package io.github.camelwecom.groupmsg.corps;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes made from the template, one per corp, and the parameters each was made with, so that a corp whose row
 * changed is seen. Not thread-safe: {@link CorpSync} calls it under its lock.
 */
final class CorpRouteTable {

    // under CorpRoutes, the name users configure logging by
    private static final Logger LOG = LoggerFactory.getLogger(CorpRoutes.class);

    private final CorpRoutes corps;
    /** corpId to the parameters its running route was made with. */
    private final Map<String, Map<String, Object>> routes = new HashMap<>();

    CorpRouteTable(CorpRoutes corps) {
        this.corps = corps;
    }

    /** The corps with a route; a live view. */
    Set<String> corpIds() {
        return routes.keySet();
    }

    int size() {
        return routes.size();
    }

    boolean has(String corpId) {
        return routes.containsKey(corpId);
    }

    /** Whether the corp's route was made with these parameters; false without a route. */
    boolean isMadeWith(String corpId, Map<String, Object> parameters) {
        return routes.containsKey(corpId) && routes.get(corpId).equals(parameters);
    }

    /** Makes and starts the corp's route; false, and logged, when it cannot be made. */
    boolean add(String corpId, Map<String, Object> parameters) {
        CamelContext camelContext = corps.getCamelContext();
        String routeId = corps.routeId(corpId);
        if (camelContext.getRoute(routeId) != null) {
            LOG.warn("A route {} exists that is not made from template {}: corp {} skipped", routeId,
                    corps.getTemplateId(), corpId);
            return false;
        }
        try {
            camelContext.addRouteFromTemplate(routeId, corps.getTemplateId(), parameters);
            routes.put(corpId, parameters);
            return true;
        } catch (Exception e) {
            // the route may be half made: remove what there is, so the next refresh starts clean
            dropQuietly(routeId);
            LOG.warn("Cannot start the route of corp {} from template {}: {}; tried again at the next refresh", corpId,
                    corps.getTemplateId(), e.getMessage());
            LOG.debug("The failure above", e);
            return false;
        }
    }

    /** Stops the corp's route and removes it. */
    void remove(String corpId) throws Exception {
        CamelContext camelContext = corps.getCamelContext();
        String routeId = corps.routeId(corpId);
        camelContext.getRouteController().stopRoute(routeId);
        camelContext.removeRoute(routeId);
        routes.remove(corpId);
    }

    private void dropQuietly(String routeId) {
        CamelContext camelContext = corps.getCamelContext();
        try {
            if (camelContext.getRoute(routeId) != null) {
                camelContext.getRouteController().stopRoute(routeId);
                camelContext.removeRoute(routeId);
            }
        } catch (Exception e) {
            LOG.debug("Could not remove route {}", routeId, e);
        }
    }
}
