package io.github.camelwecom.groupmsg;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import org.apache.camel.Endpoint;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.IOHelper;
import org.slf4j.Logger;

/**
 * The wecom-groupmsg component. It owns what its endpoints share: one HTTP client and its connection pool, one poll
 * scheduler, one access_token per corp and secret, and one thread pool for fan-out reads.
 */
@Component("wecom-groupmsg")
public class WecomGroupMsgComponent extends HealthCheckComponent {

    @Metadata(description = "Defaults for every endpoint of this component; an endpoint's own options win")
    private WecomGroupMsgConfiguration configuration = new WecomGroupMsgConfiguration();

    @Metadata(label = "consumer,advanced", defaultValue = "10",
            description = "Threads of the scheduler every consumer of this component shares (unless it has its own "
                    + "scheduledExecutorService); hundreds of endpoints, e.g. one per corp, poll on these "
                    + "instead of a thread each")
    private int schedulerPoolSize = 10;

    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private WecomClientFactory clientFactory;
    private ExecutorService fanOutExecutor;
    private ApplicationShutdown applicationShutdown;

    public WecomGroupMsgComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WecomGroupMsgConfiguration config = configuration.copy();
        config.setApi(WecomGroupMsgOptions.api(remaining));
        WecomGroupMsgEndpoint endpoint = new WecomGroupMsgEndpoint(uri, this, config);
        try {
            setProperties(endpoint, parameters);
        } catch (PropertyBindingException e) {
            throw WecomGroupMsgOptions.explain(e);
        }
        if (!endpoint.isLenientProperties()) {
            // before the values are checked: a misspelt option would otherwise be reported as the one it left unset
            validateParameters(uri, parameters, null);
        }
        endpoint.validateOptions();
        return endpoint;
    }

    /**
     * Options no property took, said in one line with the endpoint's nearest option names (Camel's own message ends a
     * line of the whole URI with them).
     */
    @Override
    protected void validateParameters(String uri, Map<String, Object> parameters, String optionPrefix) {
        if (optionPrefix != null) {
            super.validateParameters(uri, parameters, optionPrefix);
        } else if (parameters != null && !parameters.isEmpty()) {
            EndpointUriFactory options = getCamelContext().getCamelContextExtension()
                    .getEndpointUriFactory(getDefaultName());
            throw UnknownOptions.failure(withoutOptions(uri), parameters.keySet(),
                    options == null ? Set.of() : options.propertyNames());
        }
    }

    /** {@code wecom-groupmsg:result} of {@code wecom-groupmsg://result?corpId=…}: nothing of the query. */
    private static String withoutOptions(String uri) {
        int query = uri.indexOf('?');
        return (query < 0 ? uri : uri.substring(0, query)).replaceFirst("^([^:]+):/+", "$1:");
    }

    public WecomGroupMsgConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(WecomGroupMsgConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The clock relative times and follow mode read; tests may set another. */
    public Clock getClock() {
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    synchronized WecomClientFactory getClientFactory() {
        if (clientFactory == null) {
            clientFactory = new WecomClientFactory(clock);
        }
        return clientFactory;
    }

    public int getSchedulerPoolSize() {
        return schedulerPoolSize;
    }

    public void setSchedulerPoolSize(int schedulerPoolSize) {
        this.schedulerPoolSize = schedulerPoolSize;
    }

    synchronized ScheduledExecutorService getScheduler() {
        if (scheduler == null) {
            // each consumer keeps one task queued: no queue limit (Camel's default profile refuses past 1,000)
            ExecutorServiceManager manager = getCamelContext().getExecutorServiceManager();
            ThreadPoolProfile profile = manager.getDefaultThreadPoolProfile().clone();
            profile.setId("WecomGroupMsgPoll");
            profile.setPoolSize(schedulerPoolSize);
            profile.setMaxQueueSize(-1);
            scheduler = manager.newScheduledThreadPool(this, "WecomGroupMsgPoll", profile);
        }
        return scheduler;
    }

    /** What ends the application for this component's consumers with shutdownWhenDone; log is their category. */
    synchronized ApplicationShutdown getApplicationShutdown(Logger log) throws Exception {
        if (applicationShutdown == null) {
            applicationShutdown = new ApplicationShutdown(getCamelContext(), log);
        }
        return applicationShutdown;
    }

    synchronized ExecutorService getFanOutExecutor() {
        if (fanOutExecutor == null) {
            fanOutExecutor = getCamelContext().getExecutorServiceManager()
                    .newCachedThreadPool(this, "WecomGroupMsgFanOut");
        }
        return fanOutExecutor;
    }

    /**
     * Interrupts what still runs on the pools: the routes have stopped by now, but a producer's iterator the route
     * never closed keeps its readers waiting for room, and a plain shutdown would leave them (and their threads)
     * waiting after the context has gone.
     */
    @Override
    protected synchronized void doStop() throws Exception {
        if (scheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        if (fanOutExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(fanOutExecutor);
            fanOutExecutor = null;
        }
        IOHelper.close(clientFactory);
        clientFactory = null;
        super.doStop();
    }
}
