package io.github.camelwecom.groupmsg;

import java.util.Map;

import io.github.camelwecom.groupmsg.client.ClientSettings;
import io.github.camelwecom.groupmsg.client.WecomClient;
import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import io.github.camelwecom.groupmsg.export.ExportListener;
import io.github.camelwecom.groupmsg.export.ExportSpec;
import io.github.camelwecom.groupmsg.export.FollowingExport;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Exports WeCom customer mass-message records (群发记录): messages (get_groupmsg_list_v2), member tasks (get_groupmsg_task)
 * and send results (get_groupmsg_send_result), with paging, month-sized windows, tokens, retries and fan-out handled
 * inside the endpoint.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "wecom-groupmsg", title = "WeCom GroupMsg",
        syntax = "wecom-groupmsg:api", category = { Category.CLOUD, Category.API, Category.SOCIAL },
        headersClass = WecomGroupMsgConstants.class)
@ManagedResource(description = "WeCom GroupMsg endpoint")
public class WecomGroupMsgEndpoint extends ScheduledPollEndpoint {

    private static final long DEFAULT_DELAY_MILLIS = 60_000;

    @UriParam
    private WecomGroupMsgConfiguration configuration;

    // declared again only so that the catalog gives this endpoint's default (ScheduledPollEndpoint holds the value)
    @UriParam(defaultValue = "60000", javaType = "java.time.Duration", label = "consumer,scheduler",
            description = "Time before the next poll (a plain number is milliseconds): a follow-mode consumer reads "
                    + "what is new once a minute")
    private long delay = DEFAULT_DELAY_MILLIS;

    private WecomGroupMsgOptions options;
    private WecomClient client;
    private static final boolean MICROMETER_PRESENT = micrometerPresent();

    private final WecomGroupMsgStatistics statistics = new WecomGroupMsgStatistics();
    /** A WecomGroupMsgMeters, typed Object so this class loads without Micrometer. */
    private Object meters;

    public WecomGroupMsgEndpoint(String uri, WecomGroupMsgComponent component,
            WecomGroupMsgConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
        setDelay(DEFAULT_DELAY_MILLIS);
    }

    @Override
    public WecomGroupMsgComponent getComponent() {
        return (WecomGroupMsgComponent) super.getComponent();
    }

    public WecomGroupMsgConfiguration getConfiguration() {
        return configuration;
    }

    public synchronized void setConfiguration(WecomGroupMsgConfiguration configuration) {
        this.configuration = configuration;
        options = null;
        client = null;
    }

    /** Checks every option so that a wrong one stops the route from starting. */
    synchronized void validateOptions() {
        options = WecomGroupMsgOptions.validate(configuration, getComponent().getClock());
    }

    synchronized WecomGroupMsgOptions getOptions() {
        if (options == null) {
            validateOptions();
        }
        return options;
    }

    /**
     * The export the consumer and the producer drive, from {@code from} (null: the range's start), telling
     * {@code listener} what its commits mean; its fan-out runs on the component's pool, so that the next records are
     * read while the route works on these.
     */
    FollowingExport createExport(ExportSpec spec, FollowingExport.Range range, FollowingExport.State from,
            ExportListener listener) {
        return new FollowingExport(getClient(), getComponent().getFanOutExecutor(), getOptions().exportSettings(spec),
                range, from, listener);
    }

    /** The endpoint's client, created on first use from the component's shared pool and token cache. */
    synchronized WecomClient getClient() {
        if (client == null) {
            WecomClientFactory factory = getComponent().getClientFactory();
            ClientSettings settings = getOptions().clientSettings();
            client = factory.create(settings, statistics);
            statistics.tokenFetchesFrom(factory.tokenFetches(settings));
        }
        return client;
    }

    /** What this endpoint did: calls, retries, tokens, records, and where its consumer stands. */
    public WecomGroupMsgStatistics getStatistics() {
        return statistics;
    }

    /** The call budget's counts of this endpoint's corp, per API; empty when the budget is off. */
    public Map<String, Object> getCallBudgetStatistics() {
        return CallBudgetStatistics.ofCorp(getComponent().currentCallBudget(), getClient().budgetCorp());
    }

    @ManagedAttribute(description = "The call budget of this endpoint's corp, shared with the corp's other endpoints, "
            + "per API: calls granted, waiting, seconds waited, 45009 refusals, pauses, the last minute's and hour's "
            + "use of the budget, and until when a pause lasts")
    public String getCallBudget() {
        return getCallBudgetStatistics().toString();
    }

    @ManagedAttribute(description = "API calls by api and outcome")
    public String getApiCalls() {
        return statistics.getCalls().toString();
    }

    @ManagedAttribute(description = "Retries by WeCom errcode (none: HTTP, network or garbled answer)")
    public String getRetries() {
        return statistics.getRetries().toString();
    }

    @ManagedAttribute(description = "gettoken calls that returned a token for this endpoint's corp and secret")
    public long getTokenFetches() {
        return statistics.getTokenFetches();
    }

    @ManagedAttribute(description = "Calls WeCom answered with an invalid or expired token")
    public long getTokenRejections() {
        return statistics.getTokenRejections();
    }

    @ManagedAttribute(description = "Records the consumer handed to the route and the route processed")
    public long getRecordsEmitted() {
        return statistics.getRecordsEmitted();
    }

    @ManagedAttribute(description = "Members whose send results were read again because their reconciliation was due")
    public long getReconciledMembers() {
        return statistics.getReconciledMembers();
    }

    @ManagedAttribute(description = "Reconciled members whose send results differed from what was emitted")
    public long getReconciledChanges() {
        return statistics.getReconciledChanges();
    }

    @ManagedAttribute(description = "Reads of members whose task said sent while some of their send results still "
            + "said unsent")
    public long getRecheckedMembers() {
        return statistics.getRecheckedMembers();
    }

    @ManagedAttribute(description = "Rechecked members whose send results had been delivered since")
    public long getRecheckedDeliveries() {
        return statistics.getRecheckedDeliveries();
    }

    @ManagedAttribute(description = "Times WeCom refused one message's tasks or one member's send results and the "
            + "consumer went on without them")
    public long getRefusedReads() {
        return statistics.getRefusedReads();
    }

    @ManagedAttribute(description = "Refused messages' tasks and members' send results still read again on each poll")
    public int getUnreadable() {
        return statistics.getUnreadable();
    }

    @ManagedAttribute(description = "The list window the consumer is reading")
    public String getCurrentWindow() {
        return statistics.getCurrentWindow();
    }

    @ManagedAttribute(description = "The consumer's last saved checkpoint")
    public String getCheckpoint() {
        return statistics.getCheckpoint();
    }

    @ManagedAttribute(description = "Bytes the consumer wrote to its stateRepository: checkpoints and their parts")
    public long getCheckpointBytesWritten() {
        return statistics.getCheckpointBytesWritten();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new WecomGroupMsgProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        WecomGroupMsgConsumer consumer = new WecomGroupMsgConsumer(this, processor);
        consumer.setMaxMessagesPerPoll(configuration.getMaxMessagesPerPoll());
        configureConsumer(consumer);
        if (getScheduledExecutorService() == null && consumer.getScheduler() == null) {
            // one scheduler for every consumer of the component, not a thread per endpoint
            consumer.setScheduler(new TakingTurnsScheduler(getComponent().getScheduler(), consumer::pollAgainNow));
        }
        return consumer;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (MICROMETER_PRESENT) {
            meters = WecomGroupMsgMeters.bind(this);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (meters != null) {
            ((WecomGroupMsgMeters) meters).unbind();
            meters = null;
        }
        synchronized (this) {
            client = null;
        }
        super.doStop();
    }

    private static boolean micrometerPresent() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false,
                    WecomGroupMsgEndpoint.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
