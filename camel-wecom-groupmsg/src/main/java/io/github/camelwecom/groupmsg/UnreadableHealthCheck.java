package io.github.camelwecom.groupmsg;

import java.util.Map;
import java.util.function.IntSupplier;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The consumer's health check as Camel builds it, plus how many messages' tasks or members' send results WeCom refused
 * and the consumer still reads again: the route is up, but its export is not complete.
 */
final class UnreadableHealthCheck implements HealthCheck {

    static final String DETAIL = "wecom.unreadable";

    private final HealthCheck delegate;
    private final IntSupplier unreadable;

    UnreadableHealthCheck(HealthCheck delegate, IntSupplier unreadable) {
        this.delegate = delegate;
        this.unreadable = unreadable;
    }

    @Override
    public Result call(Map<String, Object> options) {
        Result result = delegate.call(options);
        int count = unreadable.getAsInt();
        if (count == 0) {
            return result;
        }
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this).state(result.getState())
                .details(result.getDetails()).detail(DETAIL, count);
        result.getMessage().ifPresent(builder::message);
        result.getError().ifPresent(builder::error);
        return builder.build();
    }

    @Override
    public String getGroup() {
        return delegate.getGroup();
    }

    @Override
    public String getId() {
        return delegate.getId();
    }

    @Override
    public boolean isEnabled() {
        return delegate.isEnabled();
    }

    @Override
    public void setEnabled(boolean enabled) {
        delegate.setEnabled(enabled);
    }

    @Override
    public boolean isLiveness() {
        return delegate.isLiveness();
    }

    @Override
    public boolean isReadiness() {
        return delegate.isReadiness();
    }
}
