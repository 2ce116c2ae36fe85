package io.github.camelwecom.groupmsg;

import java.util.function.BiConsumer;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * The configured poll strategy, plus WeCom's errcode, errmsg and api as details of a poll that failed at WeCom: the
 * consumer's health check shows them with the failure. Rollback is where Camel hands a failed poll over before it
 * becomes the consumer's last error; the details last until a poll succeeds.
 */
final class WecomGroupMsgPollStrategy implements PollingConsumerPollStrategy {

    private final PollingConsumerPollStrategy delegate;
    private final BiConsumer<String, Object> lastErrorDetail;

    WecomGroupMsgPollStrategy(PollingConsumerPollStrategy delegate, BiConsumer<String, Object> lastErrorDetail) {
        this.delegate = delegate;
        this.lastErrorDetail = lastErrorDetail;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return delegate.begin(consumer, endpoint);
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        delegate.commit(consumer, endpoint, polledMessages);
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) throws Exception {
        if (cause instanceof WecomApiException api) {
            if (api.getErrcode() != WecomApiException.NO_ERRCODE) {
                lastErrorDetail.accept("wecom.errcode", api.getErrcode());
            }
            lastErrorDetail.accept("wecom.errmsg", api.getErrmsg());
            lastErrorDetail.accept("wecom.api", api.getApi());
        }
        return delegate.rollback(consumer, endpoint, retryCounter, cause);
    }
}
