package io.github.camelwecom.groupmsg;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.github.camelwecom.groupmsg.client.CallBudget;
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

    @Metadata(label = "budget", defaultValue = "true",
            description = "Whether every call of this component's endpoints waits for one call budget kept within "
                    + "WeCom's frequency limits (per corp and API, and per calling IP and API, a minute and an hour), "
                    + "reading recent changes before history and the corps in turn, and pauses a corp's API for every "
                    + "endpoint after a 45009 until WeCom's block ends; false sends calls as they come")
    private boolean callBudgetEnabled = true;
    @Metadata(label = "budget", defaultValue = "0.5",
            description = "The part of WeCom's limits this application may use, more than 0 and at most 1: the rest "
                    + "stays for the corp's other apps, which share the corp's quota and mostly the calling IP")
    private double callBudgetShare = 0.5;
    @Metadata(label = "budget", defaultValue = "wecom", enums = "wecom,serviceProvider",
            description = "Whose limits: wecom (an app of the corp's own, self-built or 代开发: per IP and API "
                    + "20,000 calls a minute and 600,000 an hour) or serviceProvider (a third-party service "
                    + "provider's app: 40,000 and 1,200,000); per corp and API 10,000 and 150,000 either way")
    private String callLimits = CallBudgets.WECOM;
    @Metadata(label = "budget,advanced", defaultValue = "0",
            description = "Calls per corp and API a minute, instead of WeCom's 10,000 (before callBudgetShare); "
                    + "0 keeps WeCom's")
    private int callLimitCorpPerMinute;
    @Metadata(label = "budget,advanced", defaultValue = "0",
            description = "Calls per corp and API an hour, instead of WeCom's 150,000 (before callBudgetShare); "
                    + "0 keeps WeCom's")
    private int callLimitCorpPerHour;
    @Metadata(label = "budget,advanced", defaultValue = "0",
            description = "Calls per calling IP and API a minute, instead of the one callLimits names (before "
                    + "callBudgetShare and callBudgetReplicas); 0 keeps it")
    private int callLimitIpPerMinute;
    @Metadata(label = "budget,advanced", defaultValue = "0",
            description = "Calls per calling IP and API an hour, instead of the one callLimits names (before "
                    + "callBudgetShare and callBudgetReplicas); 0 keeps it")
    private int callLimitIpPerHour;
    @Metadata(label = "budget", defaultValue = "1",
            description = "How many replicas of this application call WeCom from the same IP: each keeps that part "
                    + "of the IP's limits. The many-corps routes set it to their cluster view's members")
    private int callBudgetReplicas = 1;
    @Metadata(label = "budget,advanced",
            description = "A CallBudget bean to use instead of one made from the callBudget and callLimit options, "
                    + "e.g. one shared by several components of the application")
    private CallBudget callBudget;

    private Clock clock = Clock.systemUTC();
    private Clock callBudgetClock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private WecomClientFactory clientFactory;
    private ExecutorService fanOutExecutor;
    private ApplicationShutdown applicationShutdown;

    public WecomGroupMsgComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        CallBudgets.limits(this); // a wrong budget option fails the route, naming it
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

    /** The clock the call budget counts minutes and hours by; WeCom's are real ones, a test may set its own. */
    public Clock getCallBudgetClock() {
        return callBudgetClock;
    }

    public void setCallBudgetClock(Clock callBudgetClock) {
        this.callBudgetClock = callBudgetClock;
    }

    synchronized WecomClientFactory getClientFactory() {
        if (clientFactory == null) {
            clientFactory = new WecomClientFactory(clock, CallBudgets.create(this));
        }
        return clientFactory;
    }

    /** The budget in use now, without making one: null when stopped or when callBudgetEnabled is false. */
    synchronized CallBudget currentCallBudget() {
        return clientFactory == null ? null : clientFactory.callBudget();
    }

    /** The budget this component's calls wait for; null when callBudgetEnabled is false. */
    public CallBudget callBudgetInUse() {
        return getClientFactory().callBudget();
    }

    public boolean isCallBudgetEnabled() {
        return callBudgetEnabled;
    }

    public void setCallBudgetEnabled(boolean callBudgetEnabled) {
        this.callBudgetEnabled = callBudgetEnabled;
    }

    public double getCallBudgetShare() {
        return callBudgetShare;
    }

    public void setCallBudgetShare(double callBudgetShare) {
        this.callBudgetShare = callBudgetShare;
    }

    public String getCallLimits() {
        return callLimits;
    }

    public void setCallLimits(String callLimits) {
        this.callLimits = callLimits;
    }

    public int getCallLimitCorpPerMinute() {
        return callLimitCorpPerMinute;
    }

    public void setCallLimitCorpPerMinute(int callLimitCorpPerMinute) {
        this.callLimitCorpPerMinute = callLimitCorpPerMinute;
    }

    public int getCallLimitCorpPerHour() {
        return callLimitCorpPerHour;
    }

    public void setCallLimitCorpPerHour(int callLimitCorpPerHour) {
        this.callLimitCorpPerHour = callLimitCorpPerHour;
    }

    public int getCallLimitIpPerMinute() {
        return callLimitIpPerMinute;
    }

    public void setCallLimitIpPerMinute(int callLimitIpPerMinute) {
        this.callLimitIpPerMinute = callLimitIpPerMinute;
    }

    public int getCallLimitIpPerHour() {
        return callLimitIpPerHour;
    }

    public void setCallLimitIpPerHour(int callLimitIpPerHour) {
        this.callLimitIpPerHour = callLimitIpPerHour;
    }

    public int getCallBudgetReplicas() {
        return callBudgetReplicas;
    }

    /** Also applies to a budget in use: the many-corps routes call it when their cluster view changes. */
    public void setCallBudgetReplicas(int callBudgetReplicas) {
        CallBudgets.checkReplicas(callBudgetReplicas);
        this.callBudgetReplicas = callBudgetReplicas;
        WecomClientFactory factory;
        synchronized (this) {
            factory = clientFactory;
        }
        if (factory != null && factory.callBudget() != null) {
            factory.callBudget().setReplicas(callBudgetReplicas);
        }
    }

    public CallBudget getCallBudget() {
        return callBudget;
    }

    public void setCallBudget(CallBudget callBudget) {
        this.callBudget = callBudget;
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
