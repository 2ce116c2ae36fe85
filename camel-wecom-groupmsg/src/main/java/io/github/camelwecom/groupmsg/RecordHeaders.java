package io.github.camelwecom.groupmsg;

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

    private static final int MAX_HEADERS = 16;

    private final HeadersMapFactory factory;
    private final Map<String, Object> template;
    /** The values last set, by header name; names are the constants, so found by identity. */
    private final String[] names = new String[MAX_HEADERS];
    private final Object[] values = new Object[MAX_HEADERS];
    private int size;

    RecordHeaders(HeadersMapFactory factory) {
        this.factory = factory;
        this.template = factory.newMap();
    }

    /** Sets a header of the records from now on; null leaves it out. */
    RecordHeaders set(String name, Object value) {
        int i = indexOf(name);
        if (!Objects.equals(values[i], value)) {
            update(i, value);
        }
        return this;
    }

    /** {@link #set(String, Object)} without boxing when the value did not change. */
    RecordHeaders set(String name, long value) {
        int i = indexOf(name);
        if (!(values[i] instanceof Long current && current == value)) {
            update(i, value);
        }
        return this;
    }

    /** A new map holding the headers set so far, for one message. */
    Map<String, Object> copy() {
        return factory.newMap(template);
    }

    private void update(int i, Object value) {
        values[i] = value;
        if (value == null) {
            template.remove(names[i]);
        } else {
            template.put(names[i], value);
        }
    }

    private int indexOf(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        names[size] = name;
        return size++;
    }
}
