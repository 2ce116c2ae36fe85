package io.github.camelwecom.groupmsg;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.Fault;
import org.apache.camel.Endpoint;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Full exports and failures with every logger at DEBUG: neither the corpSecret nor any access_token the simulator
 * issued appears in a log line, an exception, an endpoint's string form, a JMX attribute or a route dump. (A route dump
 * shows route definitions as written: a secret typed into a URI stays there, which is why the docs put it on the
 * component.)
 */
class SecretsTest extends SimulatorTestSupport {

    private final List<String> failures = new ArrayList<>();
    private LogCapture capture;

    @Override
    protected boolean useJmx() {
        return true;
    }

    @BeforeEach
    void captureEverythingAtDebug() {
        capture = new LogCapture(Level.DEBUG);
    }

    @AfterEach
    void restoreLogging() {
        capture.close();
    }

    @Test
    void noSecretOrTokenAnywhere() throws Exception {
        // the recommended set-up: the secret on the component, so route definitions never hold it
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).getConfiguration()
                .setCorpSecret(CORP_SECRET);
        simulator.faults().failNext(null, Fault.TOKEN_EXPIRED, 2);
        simulator.faults().failNext(null, Fault.SYSTEM_BUSY, 2);
        simulator.faults().failNext(null, Fault.NON_JSON, 1);
        simulator.faults().failNext(Api.RESULT, Fault.HTTP_502, 1);
        Collector results = exportAll(withoutSecret(uri("result", RANGE + "&concurrency=4&limit=300")));
        ExportAssertions.assertExactly(results.bodies, truth("result", "single"));
        simulator.faults().failNext(Api.LIST, Fault.FREQ_LIMIT, 5);
        record(template.request(withoutSecret(uri("list", ONE_PAGE_RANGE + "&maxRetries=1")),
                e -> e.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, "")).getException());
        ManagedCamelContext managed = context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        String routeDump = managed.getManagedCamelContext().dumpRoutesAsXml();
        assertThat(routeDump).contains("wecom-groupmsg:result");

        // the secret written into URIs: Camel masks it everywhere but in the route model it was given
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("task", RANGE)).routeId("literal-secret").to("mock:tasks");
            }
        });
        record(template.request(uri("list", ONE_PAGE_RANGE).replace(CORP_SECRET, CORP_SECRET + "-wrong"),
                e -> e.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, "")).getException());
        record(template.request(uri("task", ONE_PAGE_RANGE), e -> {
            e.getMessage().setHeader(WecomGroupMsgConstants.CURSOR, "");
            e.getMessage().setHeader(WecomGroupMsgConstants.MSG_ID, "no-such-message");
        }).getException());
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri("list", "limit=500")).to("mock:never");
                }
            });
        } catch (Exception e) {
            record(e);
        }
        assertThat(failures).hasSize(4).allSatisfy(f -> assertThat(f).isNotBlank());

        Set<String> tokens = simulator.issuedTokens();
        // at least one refresh; calls in flight together share one refresh for the token they all had
        assertThat(tokens).as("tokens issued during the test").hasSizeGreaterThanOrEqualTo(2);
        List<String> places = new ArrayList<>();
        places.add(capture.text());
        places.addAll(failures);
        for (Endpoint endpoint : context.getEndpoints()) {
            places.add(endpoint.toString());
        }
        places.add(context.getRoutes().toString());
        places.add(routeDump);
        places.add(jmxAttributes());

        assertThat(capture.text()).as("DEBUG logging was captured").contains("wecom-groupmsg");
        for (String place : places) {
            assertThat(place).doesNotContain(CORP_SECRET);
            for (String token : tokens) {
                assertThat(place).doesNotContain(token);
            }
        }
    }

    private static String withoutSecret(String uri) {
        return uri.replace("&corpSecret=" + CORP_SECRET, "");
    }

    private void record(Throwable failure) {
        assertThat(failure).isNotNull();
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        failures.add(text.toString());
    }

    /** Every readable attribute of every Camel MBean, as text. */
    private static String jmxAttributes() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StringBuilder all = new StringBuilder();
        for (ObjectName name : server.queryNames(new ObjectName("org.apache.camel:*"), null)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                if (!attribute.isReadable()) {
                    continue;
                }
                try {
                    all.append(name).append(' ').append(attribute.getName()).append('=')
                            .append(server.getAttribute(name, attribute.getName())).append('\n');
                } catch (Exception | Error ignored) {
                    // some attributes are not readable in this state
                }
            }
        }
        assertThat(all).as("JMX was on").contains("wecom-groupmsg");
        return all.toString();
    }
}
