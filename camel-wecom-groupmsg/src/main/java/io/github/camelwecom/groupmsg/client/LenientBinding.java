package io.github.camelwecom.groupmsg.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.github.camelwecom.groupmsg.client.model.UnknownFields;

/**
 * Binds a record that did not fit its class: each field that cannot be bound (an {@code "image": ""}, a
 * {@code "send_time": "not a time"}) is left null and kept as raw JSON among the unknown fields of the object that
 * holds it, so the record keeps its class and writing it back as JSON loses nothing. Slower than plain binding (every
 * field goes through a tree), hence only used for a record that plain binding refused.
 */
final class LenientBinding {

    private static final ObjectMapper MAPPER = WecomClientFactory.newObjectMapper()
            .registerModule(new SimpleModule("wecom-lenient-records").setDeserializerModifier(new Modifier()));

    private LenientBinding() {
    }

    /** {@code record} (a JSON object) as {@code type}; fails only when {@code record} is not an object. */
    static <T> T bind(JsonNode record, Class<T> type) throws IOException {
        return MAPPER.treeToValue(record, type);
    }

    /** Makes every property of a model class lenient; other classes (lists, JsonNode, String) are left as they are. */
    private static final class Modifier extends BeanDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                BeanDeserializerBuilder builder) {
            if (UnknownFields.class.isAssignableFrom(description.getBeanClass())) {
                List<SettableBeanProperty> properties = new ArrayList<>();
                builder.getProperties().forEachRemaining(properties::add);
                for (SettableBeanProperty property : properties) {
                    builder.addOrReplaceProperty(new LenientProperty(property), true);
                }
            }
            return builder;
        }
    }

    /** Reads its value as a tree first, so that a value that does not bind can still be kept as it came. */
    private static final class LenientProperty extends SettableBeanProperty.Delegating {

        LenientProperty(SettableBeanProperty delegate) {
            super(delegate);
        }

        @Override
        protected SettableBeanProperty withDelegate(SettableBeanProperty delegate) {
            return new LenientProperty(delegate);
        }

        @Override
        public void deserializeAndSet(JsonParser parser, DeserializationContext context, Object instance)
                throws IOException {
            deserializeSetAndReturn(parser, context, instance);
        }

        @Override
        public Object deserializeSetAndReturn(JsonParser parser, DeserializationContext context, Object instance)
                throws IOException {
            JsonNode raw = context.readTree(parser);
            try (JsonParser value = raw.traverse(parser.getCodec())) {
                value.nextToken();
                return delegate.deserializeSetAndReturn(value, context, instance);
            } catch (DatabindException e) {
                ((UnknownFields) instance).setUnknownField(getName(), raw);
                return instance;
            }
        }
    }
}
