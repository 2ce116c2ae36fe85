package io.github.camelwecom.groupmsg;

import io.github.camelwecom.groupmsg.client.CallBudget;
import io.github.camelwecom.groupmsg.client.CallBudget.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's call budget made from its options: which limits, the share, the overrides and the replicas, each
 * checked with an error that names the option. Pauses after 45009 are said by the component's logger.
 */
final class CallBudgets {

    static final String WECOM = "wecom";
    static final String SERVICE_PROVIDER = "serviceProvider";

    private static final Logger LOG = LoggerFactory.getLogger(WecomGroupMsgComponent.class);

    private CallBudgets() {
    }

    /** The component's budget: its bean, or one of its options; null when callBudgetEnabled is false. */
    static CallBudget create(WecomGroupMsgComponent component) {
        if (!component.isCallBudgetEnabled()) {
            return null;
        }
        CallBudget budget = component.getCallBudget();
        if (budget == null) {
            budget = new CallBudget(limits(component), component.getCallBudgetClock());
            budget.setReplicas(component.getCallBudgetReplicas());
        }
        budget.setPauseListener(CallBudgets::logPause); // the same line whichever component shares the bean
        return budget;
    }

    /** The limits the options say; fails naming the first wrong option. */
    static Limits limits(WecomGroupMsgComponent component) {
        Limits base = switch (String.valueOf(component.getCallLimits())) {
            case WECOM -> Limits.DEFAULT;
            case SERVICE_PROVIDER -> Limits.SERVICE_PROVIDER;
            default -> throw invalid("callLimits", component.getCallLimits(), WECOM + " or " + SERVICE_PROVIDER);
        };
        double share = component.getCallBudgetShare();
        if (!(share > 0 && share <= 1)) {
            throw invalid("callBudgetShare", share, "more than 0 and at most 1, e.g. 0.5");
        }
        checkReplicas(component.getCallBudgetReplicas());
        return base.withShare(share)
                .withCorpLimits(limit("callLimitCorpPerMinute", component.getCallLimitCorpPerMinute(),
                        base.corpPerMinute()),
                        limit("callLimitCorpPerHour", component.getCallLimitCorpPerHour(), base.corpPerHour()))
                .withIpLimits(limit("callLimitIpPerMinute", component.getCallLimitIpPerMinute(), base.ipPerMinute()),
                        limit("callLimitIpPerHour", component.getCallLimitIpPerHour(), base.ipPerHour()));
    }

    static void checkReplicas(int replicas) {
        if (replicas < 1) {
            throw invalid("callBudgetReplicas", replicas, "a whole number of at least 1");
        }
    }

    private static int limit(String option, int value, int wecom) {
        if (value < 0) {
            throw invalid(option, value, "0 (WeCom's " + wecom + ") or a whole number of calls of at least 1");
        }
        return value == 0 ? wecom : value;
    }

    private static IllegalArgumentException invalid(String option, Object value, String allowed) {
        return new IllegalArgumentException(
                "Invalid component option " + option + "=" + value + ": allowed is " + allowed);
    }

    /** One line per pause, from the component's logger: the corp (or the IP), the API and until when. */
    static void logPause(CallBudget.Pause pause) {
        if (pause.corpId() == null) {
            LOG.warn("WeCom refused {} for several corps within a minute (45009, api freq out of limit): every call "
                    + "to it from this IP waits until {}", pause.api().path(), pause.until());
        } else {
            LOG.warn("WeCom refused {} for corp {} (45009, api freq out of limit): every endpoint's calls of the "
                    + "corp to it wait until {}", pause.api().path(), pause.corpId(), pause.until());
        }
    }
}
