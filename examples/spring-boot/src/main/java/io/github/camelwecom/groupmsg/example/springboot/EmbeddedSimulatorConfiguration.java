package io.github.camelwecom.groupmsg.example.springboot;

import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import io.github.camelwecom.groupmsg.WecomGroupMsgConfiguration;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.Ordered;
import org.apache.camel.spi.ComponentCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Without WeCom credentials ({@code wecom.corp-id} and {@code wecom.corp-secret}, which {@code WECOM_CORP_ID} and
 * {@code WECOM_CORP_SECRET} set), the app reads from a WeCom simulator on a free loopback port instead: its data set
 * ({@code wecom.simulator.data-set}: small, demo or large) spans 2025-09-01 .. 2025-12-31, which becomes the range to
 * read, and its ground truth is what {@link SyncReport} checks the table against.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedSimulatorConfiguration.NoWecomCredentials.class)
public class EmbeddedSimulatorConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSimulatorConfiguration.class);

    @Bean(destroyMethod = "close")
    public WecomSimulator wecomSimulator(@Value("${wecom.simulator.data-set:demo}") String dataSet) {
        WecomSimulator simulator = WecomSimulator.builder().port(0).dataSet(DataSet.generate(spec(dataSet))).build();
        simulator.start();
        LOG.info("WECOM_CORP_ID and WECOM_CORP_SECRET are not both set: reading from the embedded WeCom simulator at {}"
                + " ({} data set: {})", simulator.baseUrl(), dataSet, simulator.dataSet());
        return simulator;
    }

    /**
     * Points the component at the simulator, after (lower precedence than) the starter's customizer that applied
     * {@code camel.component.wecom-groupmsg.*}.
     */
    @Bean
    public ComponentCustomizer wecomSimulatorCustomizer(WecomSimulator simulator) {
        return ComponentCustomizer.builder(WecomGroupMsgComponent.class).withOrder(Ordered.LOWEST)
                .build(component -> {
                    WecomGroupMsgConfiguration config = component.getConfiguration();
                    DataSetSpec spec = simulator.dataSet().spec();
                    config.setBaseUrl(simulator.baseUrl());
                    config.setCorpId(WecomSimulator.DEFAULT_CORP_ID);
                    config.setCorpSecret(WecomSimulator.DEFAULT_CORP_SECRET);
                    config.setTimeZone(spec.zone().getId());
                    config.setStartTime(spec.firstDay().toString());
                    config.setEndTime(spec.lastDay() + "T23:59:59");
                });
    }

    static DataSetSpec spec(String dataSet) {
        try {
            return DataSetSpec.preset(dataSet);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wecom.simulator.data-set: " + e.getMessage(), e);
        }
    }

    /** Matches unless both wecom.corp-id and wecom.corp-secret have a value. */
    static final class NoWecomCredentials implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            return !StringUtils.hasText(env.getProperty("wecom.corp-id"))
                    || !StringUtils.hasText(env.getProperty("wecom.corp-secret"));
        }
    }
}
