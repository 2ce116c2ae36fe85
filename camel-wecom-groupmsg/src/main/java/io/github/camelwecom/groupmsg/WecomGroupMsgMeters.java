package io.github.camelwecom.groupmsg;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

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
        for (GroupMsgApi api : GroupMsgApi.values()) {
            meters.counter("wecom.groupmsg.api.calls", "WeCom API calls", stats,
                    tags.and("call", api.uriName(), "outcome", "success"), s -> s.getCalls(api, true));
            meters.counter("wecom.groupmsg.api.calls", "WeCom API calls", stats,
                    tags.and("call", api.uriName(), "outcome", "failure"), s -> s.getCalls(api, false));
        }
        for (String code : RETRY_CODES) {
            meters.counter("wecom.groupmsg.retries", "Retried WeCom calls by errcode", stats,
                    tags.and("errcode", code), s -> s.getRetries().getOrDefault(code, 0L));
        }
        meters.counter("wecom.groupmsg.token.fetches", "gettoken calls that returned a token", stats, tags,
                WecomGroupMsgStatistics::getTokenFetches);
        meters.counter("wecom.groupmsg.token.rejections", "Calls answered with an invalid or expired token", stats,
                tags, WecomGroupMsgStatistics::getTokenRejections);
        meters.counter("wecom.groupmsg.records.emitted", "Records processed by the route", stats, tags,
                WecomGroupMsgStatistics::getRecordsEmitted);
        meters.counter("wecom.groupmsg.reconciled.members",
                "Members whose send results were read again because their reconciliation was due", stats, tags,
                WecomGroupMsgStatistics::getReconciledMembers);
        meters.counter("wecom.groupmsg.reconciled.changes",
                "Reconciled members whose send results differed from what was emitted", stats, tags,
                WecomGroupMsgStatistics::getReconciledChanges);
        meters.counter("wecom.groupmsg.refused.reads",
                "Times WeCom refused one message's tasks or one member's send results and the consumer went on",
                stats, tags, WecomGroupMsgStatistics::getRefusedReads);
        meters.meters.add(Gauge.builder("wecom.groupmsg.unreadable", stats, WecomGroupMsgStatistics::getUnreadable)
                .description("Refused messages' tasks and members' send results still read again on each poll")
                .tags(tags).register(registry));
        return meters;
    }

    private void counter(String name, String description, WecomGroupMsgStatistics stats, Tags tags,
                         ToDoubleFunction<WecomGroupMsgStatistics> value) {
        meters.add(FunctionCounter.builder(name, stats, value).description(description).tags(tags)
                .register(registry));
    }

    void unbind() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
