package io.github.camelwecom.groupmsg;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import io.github.camelwecom.groupmsg.WecomGroupMsgStatistics.Statistic;
import io.github.camelwecom.groupmsg.client.CallBudget;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Publishes an endpoint's {@link WecomGroupMsgStatistics} as Micrometer meters. Only loaded when Micrometer is on the
 * classpath; meters are registered in the application's single {@link MeterRegistry} found in the Camel registry.
 */
final class WecomGroupMsgMeters {

    /** A retry meter for each errcode a call is retried on, and one for failures without an errcode. */
    private static final List<String> RETRY_CODES = Stream.concat(
            WecomApiException.retriedErrcodes().stream().map(String::valueOf),
            Stream.of(WecomGroupMsgStatistics.NO_ERRCODE)).toList();

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    private WecomGroupMsgMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters for the endpoint, or null when the application has no single MeterRegistry. */
    static WecomGroupMsgMeters bind(WecomGroupMsgEndpoint endpoint) {
        MeterRegistry registry = endpoint.getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return null;
        }
        WecomGroupMsgMeters meters = new WecomGroupMsgMeters(registry);
        WecomGroupMsgStatistics stats = endpoint.getStatistics();
        Tags tags = Tags.of("api", endpoint.getOptions().api().uriName(), "corpId",
                String.valueOf(endpoint.getConfiguration().getCorpId()), "chatType",
                endpoint.getConfiguration().getChatType().wireName());
        for (Statistic statistic : Statistic.values()) {
            switch (statistic.kind) {
                case COUNTER -> meters.counter(statistic, stats, tags, statistic::number);
                case COUNTERS -> meters.counters(statistic, stats, tags);
                case GAUGE -> meters.meters.add(Gauge.builder(statistic.meterName, stats, statistic::number)
                        .description(statistic.description).tags(tags).register(registry));
                case NONE -> {
                }
            }
        }
        meters.budget(endpoint.getComponent(), endpoint.getClient().budgetCorp());
        return meters;
    }

    /**
     * The call budget's meters of the endpoint's corp, per API called: shared by the corp's endpoints, so registered
     * once and left when one of them stops; they read the budget the component uses at the time, 0 when none.
     */
    private void budget(WecomGroupMsgComponent component, String corpId) {
        for (GroupMsgApi api : GroupMsgApi.values()) {
            Tags tags = Tags.of("api", api.uriName(), "corpId", corpId);
            for (CallBudgetStatistics statistic : CallBudgetStatistics.values()) {
                if (statistic.meterName == null) {
                    continue;
                }
                ToDoubleFunction<WecomGroupMsgComponent> value = c -> {
                    CallBudget budget = c.currentCallBudget();
                    return budget == null ? 0 : statistic.number(budget.statistics(corpId, api));
                };
                if (statistic.counter) {
                    FunctionCounter.builder(statistic.meterName, component, value).description(statistic.description)
                            .tags(tags).register(registry);
                } else {
                    Gauge.builder(statistic.meterName, component, value).description(statistic.description).tags(tags)
                            .register(registry);
                }
            }
        }
    }

    /** A counter per key of a map statistic: calls by api and outcome, retries by the errcodes worth one. */
    private void counters(Statistic statistic, WecomGroupMsgStatistics stats, Tags tags) {
        if (statistic == Statistic.CALLS) {
            for (GroupMsgApi api : GroupMsgApi.values()) {
                counter(statistic, stats, tags.and("call", api.uriName(), "outcome", "success"),
                        s -> s.getCalls(api, true));
                counter(statistic, stats, tags.and("call", api.uriName(), "outcome", "failure"),
                        s -> s.getCalls(api, false));
            }
        } else {
            for (String code : RETRY_CODES) {
                counter(statistic, stats, tags.and("errcode", code), s -> s.getRetries().getOrDefault(code, 0L));
            }
        }
    }

    private void counter(Statistic statistic, WecomGroupMsgStatistics stats, Tags tags,
            ToDoubleFunction<WecomGroupMsgStatistics> value) {
        meters.add(FunctionCounter.builder(statistic.meterName, stats, value).description(statistic.description)
                .tags(tags).register(registry));
    }

    void unbind() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
