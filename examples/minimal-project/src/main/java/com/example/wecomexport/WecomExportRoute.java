package com.example.wecomexport;

import org.apache.camel.builder.RouteBuilder;

/**
 * The send results of November 2025, one JSON document per line in {@code export.dir}/send-results.jsonl; the
 * application then ends (exit status 0, or 1 if the export failed).
 */
public class WecomExportRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("wecom-groupmsg:result?corpId={{wecom.corp-id}}&corpSecret=RAW({{wecom.corp-secret}})"
                + "&startTime=2025-11-01&endTime=2025-11-30T23:59:59&baseUrl={{wecom.base-url}}"
                + "&shutdownWhenDone=true")
                .routeId("wecom-export")
                .marshal().json()
                .to("file:{{export.dir}}?fileName=send-results.jsonl&fileExist=Append&appendChars=\\n");
    }
}
