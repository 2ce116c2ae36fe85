package io.github.camelwecom.groupmsg;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;

/**
 * Stops a consumer's route from its own poll, when polling on would be wrong: the corp cancelled the app's
 * authorization, or another replica took the export over. Camel's route controller records the reason as the route's
 * last error. Its stops all wait for the route's consumer, so for the poll that asks: the stop runs on a thread of its
 * own, as Camel's {@code RoutePolicySupport.stopRouteAsync} does (which stops without a reason).
 */
final class RouteStopper {

    private final CamelContext camel;
    private final String routeId;
    /** Who the route exports for, in the ERROR line. */
    private final Object owner;
    private final Logger log;
    private volatile boolean stopping;

    RouteStopper(CamelContext camel, String routeId, WecomGroupMsgConfiguration config, Logger log) {
        this.camel = camel;
        this.routeId = routeId;
        // the provider's string form names corp and suite
        this.owner = config.getCorpId() != null ? "corp " + config.getCorpId() : config.getAccessTokenProvider();
        this.log = log;
    }

    /**
     * Stops the route when the poll's failure means that every poll would fail alike: the corp cancelled the app's
     * authorization, and until it authorizes the app anew (with a new permanent code, so another token provider)
     * nothing can be read.
     *
     * @return whether the route is being stopped
     */
    boolean stopsFor(RuntimeException failure) {
        WecomApiException wecom = PollFailureLogging.find(failure);
        if (wecom == null || !wecom.isAuthorizationCancelled() || routeId == null) {
            return false;
        }
        stop(failure.getMessage(), failure);
        return true;
    }

    /** Says once why, at ERROR, and stops the route. */
    void stop(String why, Throwable reason) {
        stopping = true;
        if (routeId == null) {
            return;
        }
        log.error("Route {} of {} is stopped: {}", routeId, owner, why);
        camel.getExecutorServiceManager().newThread("WecomGroupMsgStopRoute", () -> {
            try {
                camel.getRouteController().stopRoute(routeId, reason);
            } catch (Exception e) {
                log.warn("Could not stop route {}: {}", routeId, e.toString());
            }
        }).start();
    }

    /** Whether the route is being stopped: its polls hand nothing on and store no checkpoint. */
    boolean isStopping() {
        return stopping;
    }
}
