package io.github.camelwecom.groupmsg.springboot;

import java.util.LinkedHashSet;
import java.util.Set;

import io.github.camelwecom.groupmsg.WecomGroupMsgConfiguration;
import io.github.camelwecom.groupmsg.client.AccessTokenProvider;
import org.apache.camel.spi.StateRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Lets the bean-typed options of {@link WecomGroupMsgComponentConfiguration} name a Spring bean:
 * {@code camel.component.wecom-groupmsg.state-repository=#bean:checkpoints} (or {@code #checkpoints}). A value that
 * does not start with {@code #} is not converted, so Spring Boot reports it as a binding error.
 */
@Configuration(proxyBeanMethods = false)
@ConfigurationPropertiesBinding
public class WecomGroupMsgComponentConverter implements GenericConverter {

    @Autowired
    private ApplicationContext applicationContext;

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        Set<ConvertiblePair> answer = new LinkedHashSet<>();
        answer.add(new ConvertiblePair(String.class, AccessTokenProvider.class));
        answer.add(new ConvertiblePair(String.class, StateRepository.class));
        answer.add(new ConvertiblePair(String.class, WecomGroupMsgConfiguration.class));
        return answer;
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String ref = source.toString();
        if (!ref.startsWith("#")) {
            return null;
        }
        ref = ref.startsWith("#bean:") ? ref.substring("#bean:".length()) : ref.substring(1);
        return applicationContext.getBean(ref, targetType.getType());
    }
}
