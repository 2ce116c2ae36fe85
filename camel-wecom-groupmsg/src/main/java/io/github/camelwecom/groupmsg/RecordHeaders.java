package io.github.camelwecom.groupmsg;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.spi.HeadersMapFactory;

/**
 * The consumer's headers of one record after another. Camel keeps headers in a case-insensitive sorted map, where each
 * insert compares keys sharing the long {@code CamelWecomGroupMsg} prefix: eleven inserts per record were 40 % of the
 * consumer thread's time. Consecutive records mostly share their values, so a template is kept up to date with only
 * the values that changed, and each record gets a copy of it, which the sorted map builds without comparing keys.
 */
final class RecordHeaders {

    private final HeadersMapFactory factory;
    private final Map<String, Object> template;
    private final Map<String, Object> current = new HashMap<>();

    RecordHeaders(HeadersMapFactory factory) {
        this.factory = factory;
        this.template = factory.newMap();
    }

    /** Sets a header of the records from now on; null leaves it out. */
    RecordHeaders set(String name, Object value) {
        if (!Objects.equals(current.get(name), value)) {
            current.put(name, value);
            if (value == null) {
                template.remove(name);
            } else {
                template.put(name, value);
            }
        }
        return this;
    }

    /** A new map holding the headers set so far, for one message. */
    Map<String, Object> copy() {
        return factory.newMap(template);
    }
}
