package io.github.camelwecom.groupmsg;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.client.WecomClientFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Compares what an export emitted with the simulator's ground truth: same records, same order, none missing, none
 * extra, none twice.
 */
final class ExportAssertions {

    private static final ObjectMapper MAPPER = WecomClientFactory.newObjectMapper();

    private ExportAssertions() {
    }

    /** A record as JSON text, normalized so numbers compare by value. */
    static JsonNode json(Object record) {
        try {
            return MAPPER.readTree(MAPPER.writeValueAsString(record));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> json(List<?> records) {
        List<JsonNode> out = new ArrayList<>(records.size());
        records.forEach(r -> out.add(json(r)));
        return out;
    }

    static void assertExactly(List<?> exported, Stream<? extends JsonNode> groundTruth) {
        List<JsonNode> expected = groundTruth.map(ExportAssertions::json).toList();
        List<JsonNode> actual = json(exported);
        assertThat(expected).as("ground truth must not be empty for a meaningful test").isNotEmpty();
        Set<JsonNode> unique = new HashSet<>(actual);
        if (unique.size() != actual.size()) {
            fail("export emitted " + (actual.size() - unique.size()) + " records twice (" + actual.size()
                    + " emitted, " + unique.size() + " distinct)");
        }
        Set<JsonNode> missing = new HashSet<>(expected);
        missing.removeAll(unique);
        Set<JsonNode> extra = new HashSet<>(unique);
        extra.removeAll(new HashSet<>(expected));
        if (!missing.isEmpty() || !extra.isEmpty()) {
            fail("export differs from the ground truth: " + missing.size() + " missing (e.g. "
                    + missing.stream().findFirst().orElse(null) + "), " + extra.size() + " extra (e.g. "
                    + extra.stream().findFirst().orElse(null) + ")");
        }
        assertThat(actual).as("records in the API's order").containsExactlyElementsOf(expected);
    }
}
