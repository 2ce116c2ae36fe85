package io.github.camelwecom.groupmsg.example.springboot;

import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One consumer per chat type reads send results ({@code wecom-groupmsg:result}); every record, whether new or emitted
 * again as {@code CamelWecomGroupMsgChange=UPDATED}, goes through the same upsert. Credentials, range defaults and
 * tuning come from {@code camel.component.wecom-groupmsg.*}; {@code wecom.start-time} and {@code wecom.end-time}, when
 * set, override the range here ({@code {{?...}}} drops the option when unset).
 *
 * <p>
 * A failing insert fails the exchange, and the consumer hands that record on again: no row is skipped.
 */
@Component
public class SendResultRoutes extends RouteBuilder {

    static final List<String> CHAT_TYPES = List.of("single", "group");
    static final String STORE = "direct:store-send-result";

    private final SyncReport syncReport;

    public SendResultRoutes(SyncReport syncReport) {
        this.syncReport = syncReport;
    }

    static String routeId(String chatType) {
        return "send-results-" + chatType;
    }

    @Override
    public void configure() {
        for (String chatType : CHAT_TYPES) {
            from("wecom-groupmsg:result?chatType=" + chatType
                    + "&startTime={{?wecom.start-time}}&endTime={{?wecom.end-time}}")
                    .routeId(routeId(chatType))
                    .to(STORE);
        }

        from(STORE).routeId("store-send-result")
                .bean(SendResultRow.class, "of")
                .to("sql:classpath:sql/upsert-send-result.sql");

        // logs progress while the rows change, and the summary once a bounded range is read to its end
        from("timer:sync-report?delay={{wecom.report.period-ms:1000}}&period={{wecom.report.period-ms:1000}}")
                .routeId("sync-report")
                .bean(syncReport, "check");
    }
}
