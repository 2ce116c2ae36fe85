package io.github.camelwecom.groupmsg.example.javadsl;

import org.apache.camel.builder.RouteBuilder;

/**
 * Every WeCom send result of the selected messages, upserted into {@value SendResultTable#TABLE}: one row per result,
 * so a result that comes again with {@code CamelWecomGroupMsgChange=UPDATED} (its status or send_time changed) replaces
 * its row, and an export run twice leaves the table as it was.
 *
 * <p>
 * The options are property placeholders ({@code wecom.*}, see {@link SendResultsToH2}); without {@code wecom.end-time}
 * the route keeps following new send results, and re-reads those of the last {@code wecom.track-changes-for} at each
 * poll. The database is the {@code DataSource} bound as {@code wecomDb}. A record's exchange completes once its row is
 * written, so the consumer's checkpoint never runs ahead of the table.
 */
public class SendResultsToH2Route extends RouteBuilder {

    public static final String ROUTE_ID = "wecom-send-results-to-h2";

    @Override
    public void configure() {
        from("wecom-groupmsg:result"
                + "?baseUrl={{wecom.base-url}}&corpId={{wecom.corp-id}}&corpSecret=RAW({{wecom.corp-secret}})"
                + "&chatType={{wecom.chat-type}}&startTime={{wecom.start-time}}&endTime={{?wecom.end-time}}"
                + "&timeZone={{wecom.time-zone}}&trackChangesFor={{wecom.track-changes-for}}"
                + "&delay={{wecom.poll-delay}}&initialDelay=0")
                .routeId(ROUTE_ID)
                .process(SendResultTable::toRow)
                .to("sql:classpath:sql/merge-send-result.sql?dataSource=#wecomDb");
    }
}
