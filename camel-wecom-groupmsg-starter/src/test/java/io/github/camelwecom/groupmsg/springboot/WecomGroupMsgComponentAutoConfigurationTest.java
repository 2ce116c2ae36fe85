package io.github.camelwecom.groupmsg.springboot;

import io.github.camelwecom.groupmsg.WecomGroupMsgComponent;
import io.github.camelwecom.groupmsg.WecomGroupMsgConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the auto-configuration applies the properties: bean references for bean-typed options, the switches that turn it
 * off, and a clear failure for a reference to a bean that does not exist.
 */
class WecomGroupMsgComponentAutoConfigurationTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                    WecomGroupMsgComponentConverter.class, WecomGroupMsgComponentAutoConfiguration.class))
            .withPropertyValues("camel.component.wecom-groupmsg.corp-id=ww-auto-config-test");

    static WecomGroupMsgConfiguration componentConfiguration(CamelContext camel) {
        return camel.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).getConfiguration();
    }

    @Test
    void beanReferenceSetsABeanTypedOption() {
        runner.withBean("checkpoints", MemoryStateRepository.class, MemoryStateRepository::new)
                .withPropertyValues("camel.component.wecom-groupmsg.state-repository=#bean:checkpoints")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    WecomGroupMsgConfiguration config = componentConfiguration(ctx.getBean(CamelContext.class));
                    assertThat(config.getStateRepository()).isSameAs(ctx.getBean("checkpoints"));
                    assertThat(config.getCorpId()).isEqualTo("ww-auto-config-test");
                });
    }

    @Test
    void referenceToAMissingBeanFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("camel.component.wecom-groupmsg.state-repository=#bean:noSuchRepository")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure()
                        .hasStackTraceContaining("camel.component.wecom-groupmsg.state-repository")
                        .hasStackTraceContaining("noSuchRepository"));
    }

    @Test
    void disabledComponentPropertiesAreNotApplied() {
        runner.withPropertyValues("camel.component.wecom-groupmsg.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(WecomGroupMsgComponentAutoConfiguration.class);
            assertThat(componentConfiguration(ctx.getBean(CamelContext.class)).getCorpId()).isNull();
        });
    }

    @Test
    void disabledCustomizerLeavesTheComponentAsItIs() {
        runner.withPropertyValues("camel.component.wecom-groupmsg.customizer.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(ComponentCustomizer.class);
            assertThat(componentConfiguration(ctx.getBean(CamelContext.class)).getCorpId()).isNull();
        });
    }
}
