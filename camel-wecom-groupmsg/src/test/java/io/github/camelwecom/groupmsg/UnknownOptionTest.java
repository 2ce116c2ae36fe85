package io.github.camelwecom.groupmsg;

import java.util.List;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A misspelt option stops the route with one line that names it, the endpoint and the endpoint's options of the nearest
 * names, before any value is checked or WeCom called, and without the secret the URI carries.
 */
class UnknownOptionTest extends SimulatorTestSupport {

    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource(delimiter = '|', value = {
            "result | chatTyp=single      | Unknown option chatTyp on wecom-groupmsg:result; did you mean chatType?",
            "list   | startime=2025-09-01 | Unknown option startime on wecom-groupmsg:list; did you mean startTime?",
            "task   | trackChangeFor=P1D  | Unknown option trackChangeFor on wecom-groupmsg:task; did you mean "
                    + "trackChangesFor?",
            "list   | secret=x            | Unknown option secret on wecom-groupmsg:list; did you mean corpSecret?",
            "list   | xyzzy=1             | Unknown option xyzzy on wecom-groupmsg:list; no option has a similar name",
            "list   | lmit=10&dely=5      | Unknown options on wecom-groupmsg:list: dely (did you mean delay?), "
                    + "lmit (did you mean limit?)" })
    void aConsumerRouteFailsWithOneLine(String api, String options, String expected) {
        Throwable failure = failToStart(true, uri(api, options));

        assertThat(lastCause(failure)).isInstanceOf(ResolveEndpointFailedException.class).hasMessage(expected);
        assertThat(String.valueOf(failure)).as("the failure Camel reports, around ours").contains(expected)
                .doesNotContain(CORP_SECRET);
        assertThat(simulator.counters().totalCalls()).as("nothing was called").isZero();
    }

    @Test
    void aProducerRouteFailsTheSameWay() {
        Throwable failure = failToStart(false, uri("result", "chatTyp=single"));

        assertThat(lastCause(failure))
                .hasMessage("Unknown option chatTyp on wecom-groupmsg:result; did you mean chatType?");
    }

    /**
     * A misspelt corpSecret is named before the missing corpSecret it leaves is, and its value is not in our line.
     * Camel's own wrapping of the URI masks only corpSecret itself, so the value of {@code corpSecrt} is only kept out
     * of the line this component writes.
     */
    @Test
    void aMisspeltSecretIsNamedNotShown() {
        String uri = uri("list", "").replace("corpSecret=", "corpSecrt=");

        Throwable failure = failToStart(true, uri);

        assertThat(lastCause(failure))
                .hasMessage("Unknown option corpSecrt on wecom-groupmsg:list; did you mean corpSecret?");
    }

    @Test
    void nearestNamesAreTheClosestByEditDistance() {
        List<String> known = List.of("corpId", "corpSecret", "chatType", "filterType", "limit");

        assertThat(UnknownOptions.nearest("corpSecrte", known)).containsExactly("corpSecret");
        assertThat(UnknownOptions.nearest("CHATTYPE", known)).containsExactly("chatType");
        assertThat(UnknownOptions.nearest("type", known)).containsExactly("chatType", "filterType");
        assertThat(UnknownOptions.nearest("zzz", known)).isEmpty();
        assertThat(UnknownOptions.distance("kitten", "sitting")).isEqualTo(3);
    }

    private Throwable failToStart(boolean consumer, String endpoint) {
        return catchThrowable(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (consumer) {
                    from(endpoint).to("mock:records");
                } else {
                    from("direct:in").to(endpoint);
                }
            }
        }));
    }

    private static Throwable lastCause(Throwable failure) {
        assertThat(failure).as("the route failed to start").isNotNull();
        Throwable last = failure;
        while (last.getCause() != null && last.getCause() != last) {
            last = last.getCause();
        }
        return last;
    }
}
