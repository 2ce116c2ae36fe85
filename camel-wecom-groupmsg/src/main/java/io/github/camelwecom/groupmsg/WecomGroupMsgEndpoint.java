package io.github.camelwecom.groupmsg;

import io.github.camelwecom.groupmsg.client.WecomClient;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Exports WeCom customer mass-message records (群发记录): messages (get_groupmsg_list_v2), member tasks
 * (get_groupmsg_task) and send results (get_groupmsg_send_result), with paging, month-sized windows, tokens, retries
 * and fan-out handled inside the endpoint.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "wecom-groupmsg", title = "WeCom GroupMsg",
             syntax = "wecom-groupmsg:api", category = { Category.CLOUD, Category.API },
             headersClass = WecomGroupMsgConstants.class)
public class WecomGroupMsgEndpoint extends ScheduledPollEndpoint {

    private static final long DEFAULT_DELAY_MILLIS = 60_000;

    @UriParam
    private WecomGroupMsgConfiguration configuration;

    private WecomGroupMsgOptions options;
    private WecomClient client;

    public WecomGroupMsgEndpoint(String uri, WecomGroupMsgComponent component, WecomGroupMsgConfiguration configuration) {
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

    public void setConfiguration(WecomGroupMsgConfiguration configuration) {
        this.configuration = configuration;
    }

    /** Checks every option so that a wrong one stops the route from starting. */
    void validateOptions() {
        options = WecomGroupMsgOptions.validate(configuration, getComponent().getClock());
    }

    WecomGroupMsgOptions getOptions() {
        if (options == null) {
            validateOptions();
        }
        return options;
    }

    /** The endpoint's client, created on first use from the component's shared pool and token cache. */
    synchronized WecomClient getClient() {
        if (client == null) {
            client = getComponent().getClientFactory().create(getOptions().clientSettings(), null);
        }
        return client;
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
        return consumer;
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            client = null;
        }
        super.doStop();
    }
}
