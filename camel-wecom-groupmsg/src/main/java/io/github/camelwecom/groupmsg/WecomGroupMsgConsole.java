package io.github.camelwecom.groupmsg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * The wecom-groupmsg developer console ({@code camel get dev-console wecom-groupmsg}): for every endpoint, its API
 * calls, retries, tokens, records and where its consumer stands.
 */
@DevConsole(name = "wecom-groupmsg", displayName = "WeCom GroupMsg",
        description = "WeCom mass-message exports: calls, retries, tokens, records, windows and checkpoints")
public class WecomGroupMsgConsole extends AbstractDevConsole {

    public WecomGroupMsgConsole() {
        super("camel", "wecom-groupmsg", "WeCom GroupMsg",
                "WeCom mass-message exports: calls, retries, tokens, records, windows and checkpoints");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> endpoint : endpoints()) {
            text.append(endpoint.get("uri")).append('\n');
            endpoint.forEach((key, value) -> {
                if (!"uri".equals(key)) {
                    text.append("    ").append(key).append(": ").append(value).append('\n');
                }
            });
        }
        text.append("call budget of this IP: ").append(callBudgetIp()).append('\n');
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        for (Map<String, Object> endpoint : endpoints()) {
            list.add(new JsonObject(endpoint));
        }
        root.put("endpoints", list);
        root.put("callBudgetIp", callBudgetIp());
        return root;
    }

    /** The calling IP's use of the call budget per API, of every component's budget (usually one). */
    private Map<String, Object> callBudgetIp() {
        WecomGroupMsgComponent component =
                getCamelContext().hasComponent("wecom-groupmsg") instanceof WecomGroupMsgComponent c ? c : null;
        return component == null ? Map.of() : CallBudgetStatistics.ofIp(component.currentCallBudget());
    }

    private List<Map<String, Object>> endpoints() {
        List<Map<String, Object>> answer = new ArrayList<>();
        for (Endpoint endpoint : getCamelContext().getEndpoints()) {
            if (endpoint instanceof WecomGroupMsgEndpoint wecom) {
                WecomGroupMsgStatistics stats = wecom.getStatistics();
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("uri", wecom.toString()); // sanitized: no secret
                for (WecomGroupMsgStatistics.Statistic statistic : WecomGroupMsgStatistics.Statistic.values()) {
                    info.put(statistic.key, statistic.of(stats));
                }
                info.put("callBudget", wecom.getCallBudgetStatistics());
                answer.add(info);
            }
        }
        return answer;
    }
}
