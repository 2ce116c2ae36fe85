package io.github.camelwecom.groupmsg;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.IOHelper;

/**
 * The wecom-groupmsg component. It owns what its endpoints share: one HTTP client and its connection pool, one access_token per corp
 * and secret, and one thread pool for fan-out reads.
 */
@Component("wecom-groupmsg")
public class WecomGroupMsgComponent extends HealthCheckComponent {

    @Metadata(description = "Defaults for every endpoint of this component; an endpoint's own options win")
    private WecomGroupMsgConfiguration configuration = new WecomGroupMsgConfiguration();

    private Clock clock = Clock.systemUTC();
    private WecomClientFactory clientFactory;
    private ExecutorService fanOutExecutor;

    public WecomGroupMsgComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WecomGroupMsgConfiguration config = configuration.copy();
        config.setApi(remaining);
        WecomGroupMsgEndpoint endpoint = new WecomGroupMsgEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        endpoint.validateOptions();
        return endpoint;
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

    synchronized ExecutorService getFanOutExecutor() {
        if (fanOutExecutor == null) {
            fanOutExecutor = getCamelContext().getExecutorServiceManager()
                    .newCachedThreadPool(this, "WecomGroupMsgFanOut");
        }
        return fanOutExecutor;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (fanOutExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdown(fanOutExecutor);
            fanOutExecutor = null;
        }
        IOHelper.close(clientFactory);
        clientFactory = null;
        super.doStop();
    }
}
