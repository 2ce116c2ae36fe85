package io.github.camelwecom.groupmsg;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component page lists every option and header of the generated catalog, with the catalog's default, so the
 * page cannot drift from the code (regenerate its tables from the catalog JSON when an option changes).
 */
class DocsTest {

    private static final Path PAGE = Path.of("src/main/docs/wecom-groupmsg-component.adoc");

    @Test
    void everyOptionAndHeaderIsDocumentedWithItsDefault() throws Exception {
        JsonNode catalog;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/github/camelwecom/groupmsg/wecom-groupmsg.json")) {
            catalog = new ObjectMapper().readTree(in);
        }
        String page = Files.readString(PAGE);
        for (String section : new String[] { "componentProperties", "properties" }) {
            Iterator<Map.Entry<String, JsonNode>> options = catalog.get(section).fields();
            while (options.hasNext()) {
                Map.Entry<String, JsonNode> option = options.next();
                String row = page.lines().filter(l -> l.startsWith("| *" + option.getKey() + "*")).findFirst()
                        .orElse(null);
                assertThat(row).as(section + " " + option.getKey() + " documented").isNotNull();
                JsonNode dflt = option.getValue().get("defaultValue");
                if (dflt != null) {
                    assertThat(row).as("default of " + option.getKey()).contains("| " + dflt.asText() + " |");
                }
            }
        }
        catalog.get("headers").fieldNames().forEachRemaining(header -> assertThat(page).contains("| " + header + " |"));
    }
}
