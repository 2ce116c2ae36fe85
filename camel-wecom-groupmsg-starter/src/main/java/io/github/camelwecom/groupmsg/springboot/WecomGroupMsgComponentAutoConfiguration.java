package io.github.camelwecom.groupmsg.springboot;

import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.boot.autoconfigure.AutoConfigureAfter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Applies {@code camel.component.wecom-groupmsg.*} to the wecom-groupmsg component when Camel creates it, through a
 * {@link ComponentCustomizer} as camel-spring-boot's own starters do. Off with
 * {@code camel.component.wecom-groupmsg.enabled=false} (or {@code camel.component.enabled=false}); the customizer alone
 * is off with {@code camel.component.wecom-groupmsg.customizer.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, WecomGroupMsgComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.wecom-groupmsg" })
@AutoConfigureAfter({ CamelAutoConfiguration.class, WecomGroupMsgComponentConverter.class })
public class WecomGroupMsgComponentAutoConfiguration {

    private final ApplicationContext applicationContext;
    private final CamelContext camelContext;
    private final WecomGroupMsgComponentConfiguration configuration;

    public WecomGroupMsgComponentAutoConfiguration(ApplicationContext applicationContext, CamelContext camelContext,
            WecomGroupMsgComponentConfiguration configuration) {
        this.applicationContext = applicationContext;
        this.camelContext = camelContext;
        this.configuration = configuration;
    }

    @Lazy
    @Bean
    public ComponentCustomizer configureWecomGroupMsgComponent() {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                CamelPropertiesHelper.copyProperties(camelContext, configuration, target);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        "camel.component.wecom-groupmsg.customizer")
                        && target instanceof WecomGroupMsgComponent;
            }
        };
    }
}
